#![no_main]
vouch_fuzz::catalog_target!("cabal.project.freeze");
