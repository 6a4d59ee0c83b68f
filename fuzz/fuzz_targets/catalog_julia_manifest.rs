#![no_main]
vouch_fuzz::catalog_target!("Manifest.toml");
