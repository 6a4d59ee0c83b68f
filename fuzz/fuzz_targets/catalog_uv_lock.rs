#![no_main]
vouch_fuzz::catalog_target!("uv.lock");
