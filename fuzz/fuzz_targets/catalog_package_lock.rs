#![no_main]
vouch_fuzz::catalog_target!("package-lock.json");
