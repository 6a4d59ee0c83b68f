#![no_main]
vouch_fuzz::catalog_target!("Pipfile.lock");
