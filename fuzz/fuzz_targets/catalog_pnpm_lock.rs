#![no_main]
vouch_fuzz::catalog_target!("pnpm-lock.yaml");
