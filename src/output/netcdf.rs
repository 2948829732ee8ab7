//! A NetCDF-3 writer for arrays filled slab by slab, in any order, from several threads.
//!
//! The file is the classic format with 64-bit offsets (CDF-2, "64-bit offset"), which xarray
//! (scipy or netCDF4 backend), R's `ncdf4`, `ncdump` and the pure-Rust `netcdf3` crate read.
//! Every variable has a fixed size, so the header fixes where each value goes: the header and
//! the coordinates are written first, and each simulation's slab of every data variable is
//! then written at its own offset as soon as it is known. Nothing is held in memory but one
//! slab, and the bytes do not depend on the order the slabs arrive in.
//!
//! Format: <https://docs.unidata.ucar.edu/netcdf-c/current/file_format_specifications.html>.

use std::fs::File;
use std::io::{self, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::Mutex;

/// The largest variable CDF-2 can describe: its size is a 32-bit field.
pub const MAX_VARIABLE_BYTES: u64 = (1 << 32) - 4;

const NC_DIMENSION: u32 = 10;
const NC_VARIABLE: u32 = 11;
const NC_ATTRIBUTE: u32 = 12;
const NC_CHAR: u32 = 2;
const NC_INT: u32 = 4;
const NC_DOUBLE: u32 = 6;

/// The type of a variable's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    /// Text, one byte a character (the last dimension is the string length).
    Char,
    /// 32-bit integers.
    Int,
    /// 64-bit floats.
    Double,
}

impl Type {
    fn code(self) -> u32 {
        match self {
            Type::Char => NC_CHAR,
            Type::Int => NC_INT,
            Type::Double => NC_DOUBLE,
        }
    }

    fn size(self) -> u64 {
        match self {
            Type::Char => 1,
            Type::Int => 4,
            Type::Double => 8,
        }
    }
}

/// A variable: name, dimensions (indices into the schema's dimensions), type, text
/// attributes.
#[derive(Debug, Clone)]
pub struct Variable {
    /// Its name.
    pub name: String,
    /// Its dimensions, outermost first.
    pub dims: Vec<usize>,
    /// The type of its values.
    pub kind: Type,
    /// Text attributes (`units`, `long_name`, …).
    pub attributes: Vec<(String, String)>,
}

/// Dimensions, global attributes and variables of a file.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    /// `(name, length)`.
    pub dims: Vec<(String, usize)>,
    /// Global text attributes.
    pub attributes: Vec<(String, String)>,
    /// The variables, in file order.
    pub variables: Vec<Variable>,
}

impl Schema {
    /// Add a dimension; its index.
    pub fn dim(&mut self, name: &str, length: usize) -> usize {
        self.dims.push((name.to_string(), length));
        self.dims.len() - 1
    }

    /// Add a variable; its index.
    pub fn variable(
        &mut self,
        name: &str,
        dims: &[usize],
        kind: Type,
        attributes: &[(&str, &str)],
    ) -> usize {
        self.variables.push(Variable {
            name: name.to_string(),
            dims: dims.to_vec(),
            kind,
            attributes: attributes
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        });
        self.variables.len() - 1
    }

    /// Values of variable `v`.
    pub fn len(&self, v: usize) -> u64 {
        self.variables[v]
            .dims
            .iter()
            .map(|&d| self.dims[d].1 as u64)
            .product()
    }

    /// Bytes of variable `v` in the file (padded to 4).
    fn vsize(&self, v: usize) -> u64 {
        (self.len(v) * self.variables[v].kind.size()).div_ceil(4) * 4
    }

    /// The header, given where each variable begins.
    fn header(&self, begins: &[u64]) -> Vec<u8> {
        let mut h = b"CDF\x02".to_vec();
        put(&mut h, 0); // numrecs: no record dimension
        if self.dims.is_empty() {
            h.extend([0; 8]);
        } else {
            put(&mut h, NC_DIMENSION);
            put(&mut h, self.dims.len() as u32);
            for (name, length) in &self.dims {
                put_name(&mut h, name);
                put(&mut h, *length as u32);
            }
        }
        put_attributes(&mut h, &self.attributes);
        if self.variables.is_empty() {
            h.extend([0; 8]);
        } else {
            put(&mut h, NC_VARIABLE);
            put(&mut h, self.variables.len() as u32);
            for (v, var) in self.variables.iter().enumerate() {
                put_name(&mut h, &var.name);
                put(&mut h, var.dims.len() as u32);
                for &d in &var.dims {
                    put(&mut h, d as u32);
                }
                put_attributes(&mut h, &var.attributes);
                put(&mut h, var.kind.code());
                put(&mut h, self.vsize(v).min(u64::from(u32::MAX)) as u32);
                h.extend(begins[v].to_be_bytes());
            }
        }
        h
    }
}

fn put(h: &mut Vec<u8>, n: u32) {
    h.extend(n.to_be_bytes());
}

fn pad(h: &mut Vec<u8>) {
    while !h.len().is_multiple_of(4) {
        h.push(0);
    }
}

fn put_name(h: &mut Vec<u8>, name: &str) {
    put(h, name.len() as u32);
    h.extend(name.as_bytes());
    pad(h);
}

fn put_attributes(h: &mut Vec<u8>, attributes: &[(String, String)]) {
    if attributes.is_empty() {
        h.extend([0; 8]);
        return;
    }
    put(h, NC_ATTRIBUTE);
    put(h, attributes.len() as u32);
    for (name, value) in attributes {
        put_name(h, name);
        put(h, NC_CHAR);
        put(h, value.len() as u32);
        h.extend(value.as_bytes());
        pad(h);
    }
}

/// A file being filled: the header is written, the values are placed by
/// [`write`](Writer::write) from any thread.
#[derive(Debug)]
pub struct Writer {
    file: Mutex<File>,
    schema: Schema,
    begins: Vec<u64>,
}

impl Writer {
    /// Create `path` for `schema`: the header written, every value 0 until written.
    /// An error names a variable larger than NetCDF-3 allows, with its size.
    pub fn create(path: &Path, schema: Schema) -> io::Result<Writer> {
        for v in 0..schema.variables.len() {
            if schema.vsize(v) > MAX_VARIABLE_BYTES {
                return Err(io::Error::other(format!(
                    "variable {} would hold {} bytes; NetCDF-3 allows at most {MAX_VARIABLE_BYTES} \
                     in one variable",
                    schema.variables[v].name,
                    schema.vsize(v)
                )));
            }
        }
        // the header's length does not depend on the offsets it holds
        let length = schema.header(&vec![0; schema.variables.len()]).len() as u64;
        let mut begins = Vec::with_capacity(schema.variables.len());
        let mut at = length;
        for v in 0..schema.variables.len() {
            begins.push(at);
            at += schema.vsize(v);
        }
        let mut file = File::create(path)?;
        file.write_all(&schema.header(&begins))?;
        file.set_len(at)?;
        Ok(Writer {
            file: Mutex::new(file),
            schema,
            begins,
        })
    }

    /// Write `values` of variable `v` from value index `first` on (in the variable's
    /// row-major order).
    pub fn write(&self, v: usize, first: u64, values: &[f64]) -> io::Result<()> {
        let kind = self.schema.variables[v].kind;
        let mut bytes = Vec::with_capacity(values.len() * kind.size() as usize);
        for &x in values {
            match kind {
                Type::Double => bytes.extend(x.to_be_bytes()),
                Type::Int => bytes.extend((x as i32).to_be_bytes()),
                Type::Char => bytes.push(x as u8),
            }
        }
        self.write_bytes(v, first, &bytes)
    }

    /// Write the strings `texts` into the char variable `v` (each padded with zeros to the
    /// length of the last dimension).
    pub fn write_text(&self, v: usize, texts: &[String]) -> io::Result<()> {
        let width = self.schema.dims[*self.schema.variables[v].dims.last().unwrap_or(&0)].1;
        let mut bytes = vec![0u8; texts.len() * width];
        for (k, text) in texts.iter().enumerate() {
            let b = text.as_bytes();
            bytes[k * width..k * width + b.len().min(width)]
                .copy_from_slice(&b[..b.len().min(width)]);
        }
        self.write_bytes(v, 0, &bytes)
    }

    fn write_bytes(&self, v: usize, first: u64, bytes: &[u8]) -> io::Result<()> {
        let size = self.schema.variables[v].kind.size();
        let end = first * size + bytes.len() as u64;
        if end > self.schema.len(v) * size {
            return Err(io::Error::other(format!(
                "{} values past the end of variable {}",
                (end - self.schema.len(v) * size) / size,
                self.schema.variables[v].name
            )));
        }
        let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        file.seek(SeekFrom::Start(self.begins[v] + first * size))?;
        file.write_all(bytes)
    }

    /// Flush the file to disk and close it.
    pub fn finish(self) -> io::Result<()> {
        let file = self.file.into_inner().unwrap_or_else(|e| e.into_inner());
        file.sync_all()
    }
}
