//! Swift and Objective-C: SwiftPM `Package.resolved` and CocoaPods `Podfile.lock`.

mod package_resolved;
mod podfile_lock;

use crate::Cataloger;

pub(crate) fn catalogers() -> Vec<Box<dyn Cataloger>> {
    vec![
        Box::new(package_resolved::PackageResolved),
        Box::new(podfile_lock::PodfileLock),
    ]
}
