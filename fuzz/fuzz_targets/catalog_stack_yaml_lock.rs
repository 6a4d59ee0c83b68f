#![no_main]
vouch_fuzz::catalog_target!("stack.yaml.lock");
