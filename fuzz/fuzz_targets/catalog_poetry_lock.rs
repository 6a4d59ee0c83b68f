#![no_main]
vouch_fuzz::catalog_target!("poetry.lock");
