//! Haskell: cabal's `cabal.project.freeze` and Stack's `stack.yaml.lock`.

mod cabal_freeze;
mod stack_lock;

use vouch_model::{Component, Ecosystem, Purl};

use crate::Cataloger;

pub(crate) fn catalogers() -> Vec<Box<dyn Cataloger>> {
    vec![
        Box::new(cabal_freeze::CabalFreeze),
        Box::new(stack_lock::StackLock),
    ]
}

/// A Hackage package.
fn hackage_package(name: &str, version: &str) -> Result<Component, String> {
    let purl = Purl::new("hackage", name)
        .and_then(|purl| purl.with_version(version))
        .map_err(|error| format!("{name}-{version}: {error}"))?;
    Ok(Component::package(Ecosystem::Hackage, purl))
}
