#![no_main]
vouch_fuzz::catalog_target!("Cargo.lock");
