//! The firm network as a `petgraph` graph, for analysis (degrees, components, paths). The engine
//! never steps over it: it uses the flat arrays of [`Economy`].

use petgraph::graph::{DiGraph, NodeIndex};

use super::Economy;

/// A firm in the network graph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FirmNode {
    /// Industry index (`region · n_sectors + sector`).
    pub industry: u32,
    /// Baseline annual output.
    pub output: f64,
}

impl Economy {
    /// The supplier → buyer network of firms; node `f` is firm `f`, each edge carries the link's
    /// baseline annual flow.
    pub fn network(&self) -> DiGraph<FirmNode, f64, u32> {
        let mut graph = DiGraph::with_capacity(self.n_firms(), self.n_links());
        for f in 0..self.n_firms() {
            graph.add_node(FirmNode {
                industry: self.firm_industry[f],
                output: self.firm_output[f],
            });
        }
        for ((&supplier, buyer), &flow) in self
            .link_supplier
            .iter()
            .zip(self.link_buyers())
            .zip(&self.link_flow)
        {
            graph.add_edge(
                NodeIndex::new(supplier as usize),
                NodeIndex::new(buyer as usize),
                flow,
            );
        }
        graph
    }

    /// Number of groups of firms connected by supply links (direction ignored).
    pub fn connected_components(&self) -> usize {
        petgraph::algo::connected_components(&self.network())
    }
}
