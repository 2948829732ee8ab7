//! Default values of omitted scenario fields (their sources are in `docs/model.md`).

use crate::kinds::{
    Count, DaysDist, NonNegative, Positive, PositiveDays, PositiveF, RecordKind, RegionKind,
    Select, Serves, Share, UnitInterval,
};

pub(super) fn all_records() -> Vec<RecordKind> {
    RecordKind::ALL.to_vec()
}

pub(super) fn thirty() -> u32 {
    30
}

pub(super) fn ninety_days() -> PositiveDays {
    PositiveDays(90)
}

pub(super) fn three() -> Count {
    Count(3)
}
pub(super) fn one_count() -> Count {
    Count(1)
}

pub(super) fn default_psi() -> Option<UnitInterval> {
    Some(UnitInterval(0.8))
}

pub(super) fn serves_industry() -> Serves {
    Serves::Industry
}

pub(super) fn thirty_days() -> PositiveF {
    PositiveF(30.0)
}

pub(super) fn zero_share() -> Share {
    Share(0.0)
}

pub(super) fn sixty() -> PositiveF {
    PositiveF(60.0)
}

pub(super) fn one_f() -> Positive {
    Positive(1.0)
}

pub(super) fn one_nn() -> NonNegative {
    NonNegative(1.0)
}

pub(super) fn alpha_max() -> Positive {
    Positive(1.25)
}

pub(super) fn days_365() -> PositiveF {
    PositiveF(365.0)
}

pub(super) fn ninety() -> PositiveF {
    PositiveF(90.0)
}

pub(super) fn four() -> NonNegative {
    NonNegative(4.0)
}

pub(super) fn coastal() -> Select {
    Select::Kind(RegionKind::Coastal)
}

pub(super) fn foreign() -> Select {
    Select::Kind(RegionKind::Foreign)
}

pub(super) fn domestic() -> Select {
    Select::Domestic
}

pub(super) fn one_day() -> DaysDist {
    DaysDist::fixed(1)
}
