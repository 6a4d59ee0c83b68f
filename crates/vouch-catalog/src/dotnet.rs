//! .NET: NuGet `packages.lock.json` and the legacy `packages.config`.

mod packages_config;
mod packages_lock;

use crate::Cataloger;

pub(crate) fn catalogers() -> Vec<Box<dyn Cataloger>> {
    vec![
        Box::new(packages_lock::PackagesLock),
        Box::new(packages_config::PackagesConfig),
    ]
}
