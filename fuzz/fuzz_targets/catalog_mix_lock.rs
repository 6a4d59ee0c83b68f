#![no_main]
vouch_fuzz::catalog_target!("mix.lock");
