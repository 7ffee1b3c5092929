//! Integration tests of why401-core, table-driven, on values from the RFCs and real products.

mod challenge;
mod conformance;
mod console;
mod cookie;
mod corpus;
mod cors;
mod credentials;
mod diagnose;
mod form;
mod token;
