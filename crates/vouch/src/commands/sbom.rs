//! `vouch sbom`: catalog a directory or lockfile and write an SBOM; validate and convert SBOMs.

use std::path::Path;

use vouch_catalog::{CatalogOptions, CatalogReport, catalog_path};
use vouch_formats::{Format, SbomType, WriteOptions};
use vouch_model::Bom;

use crate::cli::GenerateArgs;
use crate::error::CliError;
use crate::settings::Settings;

/// The SBOM document and what the walk found on the way.
#[derive(Debug)]
pub(crate) struct GenerateOutcome {
    pub(crate) document: Vec<u8>,
    pub(crate) report: CatalogReport,
}

pub(crate) fn generate(
    args: &GenerateArgs,
    settings: &Settings,
    progress: &(dyn Fn(&str) + Sync),
) -> Result<GenerateOutcome, CliError> {
    let options = CatalogOptions {
        exclude: args.exclude.clone(),
        include_default_excluded: args.include_vendored,
    };
    let report = catalog_path(&args.path, &options, progress)
        .map_err(|error| CliError::usage(error.to_string()))?;
    if args.strict
        && let Some(failure) = report.failures.first()
    {
        return Err(CliError::usage(format!(
            "{} (--strict: a lockfile that cannot be parsed is fatal)",
            failure.error
        )));
    }
    let options = write_options(
        &report.bom,
        document_name(&report.bom),
        SbomType::Source,
        settings,
    )?;
    let document = vouch_formats::write(&report.bom, args.format, &options)
        .map_err(|error| CliError::internal(error.to_string()))?;
    Ok(GenerateOutcome { document, report })
}

/// The name of a document about `bom`: its subject's, else the name it was read with.
pub(crate) fn document_name(bom: &Bom) -> String {
    bom.metadata
        .subject
        .as_ref()
        .map(|subject| subject.name.clone())
        .or_else(|| bom.metadata.name.clone())
        .unwrap_or_else(|| "project".to_owned())
}

/// Document settings: pinned by `SOURCE_DATE_EPOCH` (the id is then derived from the content, so
/// the same input gives the same bytes), fresh otherwise.
pub(crate) fn write_options(
    bom: &Bom,
    document_name: String,
    sbom_type: SbomType,
    settings: &Settings,
) -> Result<WriteOptions, CliError> {
    let document_id = match settings.source_date_epoch {
        Some(epoch) => {
            let mut seed = format!("{epoch}\n{document_name}\n");
            for component in &bom.components {
                seed.push_str(component.id.as_str());
                seed.push('\n');
            }
            uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, seed.as_bytes())
        }
        None => uuid::Uuid::new_v4(),
    };
    Ok(WriteOptions {
        created: settings.created()?,
        document_id,
        document_name,
        sbom_type,
        tool_name: env!("CARGO_PKG_NAME").to_owned(),
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
    })
}

/// Reads a document named on the command line; `-` is stdin.
pub(crate) fn read_input(path: &Path) -> Result<Vec<u8>, CliError> {
    if path == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)
            .map_err(|error| CliError::usage(format!("cannot read stdin: {error}")))?;
        return Ok(bytes);
    }
    std::fs::read(path).map_err(|error| CliError::usage(format!("{}: {error}", path.display())))
}

/// Converts one document into `to`.
pub(crate) fn convert(
    path: &Path,
    to: Format,
    settings: &Settings,
) -> Result<(Vec<u8>, vouch_formats::ReadOutcome), CliError> {
    let bytes = read_input(path)?;
    let origin = path.display().to_string();
    let outcome =
        vouch_formats::read(&bytes, &origin).map_err(|error| CliError::usage(error.to_string()))?;
    let document_name = outcome
        .bom
        .metadata
        .name
        .clone()
        .or_else(|| {
            path.file_stem()
                .map(|stem| stem.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "sbom".to_owned());
    let options = write_options(&outcome.bom, document_name, SbomType::Source, settings)?;
    let document = vouch_formats::write(&outcome.bom, to, &options)
        .map_err(|error| CliError::internal(error.to_string()))?;
    Ok((document, outcome))
}
