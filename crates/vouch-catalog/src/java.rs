//! Java: Maven `pom.xml` manifests and Gradle dependency lockfiles.

mod gradle;
mod pom;

use crate::Cataloger;

pub(crate) fn catalogers() -> Vec<Box<dyn Cataloger>> {
    vec![Box::new(pom::PomXml), Box::new(gradle::GradleLockfile)]
}
