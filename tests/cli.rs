//! The real binary, run as a user would, in temporary directories.
