//! CSAF 2.0: reads the product statuses of any CSAF document (the `csaf_vex` profile, and the
//! security advisories vendors such as Red Hat publish with the same statuses), resolving
//! product ids through the product tree to purls. For `csaf_vex` documents it also reports the
//! profile's mandatory tests 6.1.27.4 and 6.1.27.7 to 6.1.27.10 as problems.

use std::collections::HashMap;

use serde_json::{Map, Value};
use vouch_model::Hash;

use super::{
    Justification, ProductRef, VexDocument, VexFormat, VexReadOutcome, VexStatement, VexStatus,
    VulnerabilityRef, lenient_purl, non_empty,
};
use crate::FormatError;
use crate::read::json::{self, ShapeError, array, child, object, string, strings};
use crate::read::{Skipped, hash_algorithm, read_error};

const VEX_CATEGORY: &str = "csaf_vex";

/// `product_status` groups and the status each stands for, in the order statements are made.
/// `recommended` is a fixed version the vendor recommends; `first_affected`/`last_affected`
/// bound the affected versions.
const STATUS_GROUPS: [(&str, VexStatus); 8] = [
    ("known_not_affected", VexStatus::NotAffected),
    ("known_affected", VexStatus::Affected),
    ("first_affected", VexStatus::Affected),
    ("last_affected", VexStatus::Affected),
    ("fixed", VexStatus::Fixed),
    ("first_fixed", VexStatus::Fixed),
    ("recommended", VexStatus::Fixed),
    ("under_investigation", VexStatus::UnderInvestigation),
];

/// The groups of which the VEX profile needs at least one per vulnerability (test 6.1.27.7).
const VEX_STATUS_GROUPS: [&str; 4] = [
    "fixed",
    "known_affected",
    "known_not_affected",
    "under_investigation",
];

pub(super) fn read(value: &Value, origin: &str) -> Result<VexReadOutcome, FormatError> {
    let mut reader = Reader::default();
    let (document, version) = reader
        .read_document(value)
        .map_err(|error| read_error(origin, error))?;
    Ok(VexReadOutcome {
        document,
        format: VexFormat::Csaf,
        version,
        skipped: reader.skipped.into_inner(),
        problems: reader.problems,
    })
}

#[derive(Default)]
struct Reader {
    products: HashMap<String, ProductRef>,
    groups: HashMap<String, Vec<String>>,
    skipped: Skipped,
    problems: Vec<String>,
}

/// What a vulnerability says about one product besides its status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
struct Remarks {
    flag: Option<String>,
    impact: Option<String>,
    action: Option<String>,
}

impl Reader {
    fn read_document(&mut self, value: &Value) -> Result<(VexDocument, String), ShapeError> {
        let root = object(value, "")?;
        let document_pointer = child("", "document");
        let metadata = object(
            root.get("document").unwrap_or(&Value::Null),
            &document_pointer,
        )?;
        let version =
            json::required_string(metadata, "csaf_version", &document_pointer)?.to_owned();
        let is_vex = string(metadata, "category", &document_pointer)? == Some(VEX_CATEGORY);
        let mut document = VexDocument::default();
        if let Some(publisher) = metadata.get("publisher") {
            let pointer = child(&document_pointer, "publisher");
            let publisher = object(publisher, &pointer)?;
            document.author = non_empty(string(publisher, "name", &pointer)?);
            document.role = non_empty(string(publisher, "category", &pointer)?);
        }
        if let Some(tracking) = metadata.get("tracking") {
            let pointer = child(&document_pointer, "tracking");
            let tracking = object(tracking, &pointer)?;
            document.id = non_empty(string(tracking, "id", &pointer)?);
            document.timestamp = non_empty(string(tracking, "initial_release_date", &pointer)?);
            document.last_updated = non_empty(string(tracking, "current_release_date", &pointer)?);
            // CSAF versions are integers or semantic versions; only the former fit.
            document.version =
                string(tracking, "version", &pointer)?.and_then(|version| version.parse().ok());
            if let Some(generator) = tracking.get("generator") {
                let engine = generator.get("engine");
                document.tooling = engine
                    .and_then(|engine| engine.get("name"))
                    .and_then(Value::as_str)
                    .map(|name| {
                        match engine
                            .and_then(|engine| engine.get("version"))
                            .and_then(Value::as_str)
                        {
                            Some(version) => format!("{name} {version}"),
                            None => name.to_owned(),
                        }
                    });
            }
        }
        match root.get("product_tree") {
            Some(tree) => self.read_product_tree(tree, &child("", "product_tree"))?,
            None if is_vex => self.problems.push(
                "/product_tree: missing; the VEX profile requires it (test 6.1.27.4)".to_owned(),
            ),
            None => {}
        }
        for (pointer, vulnerability) in array(root, "vulnerabilities", "")? {
            let statements = self.read_vulnerability(vulnerability, &pointer, &document, is_vex)?;
            document.statements.extend(statements);
        }
        Ok((document, version))
    }

    fn read_product_tree(&mut self, tree: &Value, pointer: &str) -> Result<(), ShapeError> {
        let tree = object(tree, pointer)?;
        for (branch_pointer, branch) in array(tree, "branches", pointer)? {
            self.read_branch(branch, &branch_pointer)?;
        }
        for (product_pointer, product) in array(tree, "full_product_names", pointer)? {
            self.read_full_product_name(product, &product_pointer)?;
        }
        for (group_pointer, group) in array(tree, "product_groups", pointer)? {
            let group = object(group, &group_pointer)?;
            let id = json::required_string(group, "group_id", &group_pointer)?;
            let members = strings(group, "product_ids", &group_pointer)?
                .into_iter()
                .map(|(_, id)| id.to_owned())
                .collect();
            self.groups.insert(id.to_owned(), members);
        }
        // Relationships name products built from others: `product_reference` installed on (or
        // a component of) `relates_to_product_reference`. The statement is then about the
        // former inside the latter, OpenVEX's subcomponent.
        for (relationship_pointer, relationship) in array(tree, "relationships", pointer)? {
            let relationship = object(relationship, &relationship_pointer)?;
            let component =
                json::required_string(relationship, "product_reference", &relationship_pointer)?;
            let container = json::required_string(
                relationship,
                "relates_to_product_reference",
                &relationship_pointer,
            )?;
            let name_pointer = child(&relationship_pointer, "full_product_name");
            let full_name = object(
                relationship
                    .get("full_product_name")
                    .unwrap_or(&Value::Null),
                &name_pointer,
            )?;
            let id = json::required_string(full_name, "product_id", &name_pointer)?;
            let known = |id: &str| {
                self.products
                    .get(id)
                    .cloned()
                    .unwrap_or_else(|| ProductRef {
                        id: Some(id.to_owned()),
                        ..ProductRef::default()
                    })
            };
            let product = ProductRef {
                id: Some(id.to_owned()),
                name: non_empty(string(full_name, "name", &name_pointer)?),
                subcomponents: vec![known(component)],
                ..known(container)
            };
            self.products.insert(id.to_owned(), product);
        }
        Ok(())
    }

    fn read_branch(&mut self, branch: &Value, pointer: &str) -> Result<(), ShapeError> {
        let map = object(branch, pointer)?;
        if let Some(product) = map.get("product") {
            self.read_full_product_name(product, &child(pointer, "product"))?;
        }
        for (branch_pointer, nested) in array(map, "branches", pointer)? {
            self.read_branch(nested, &branch_pointer)?;
        }
        Ok(())
    }

    fn read_full_product_name(&mut self, value: &Value, pointer: &str) -> Result<(), ShapeError> {
        let map = object(value, pointer)?;
        let id = json::required_string(map, "product_id", pointer)?;
        let mut product = ProductRef {
            id: Some(id.to_owned()),
            name: non_empty(string(map, "name", pointer)?),
            ..ProductRef::default()
        };
        if let Some(helper) = map.get("product_identification_helper") {
            let helper_pointer = child(pointer, "product_identification_helper");
            let helper = object(helper, &helper_pointer)?;
            if let Some(purl) = string(helper, "purl", &helper_pointer)? {
                product.purl =
                    lenient_purl(purl, &child(&helper_pointer, "purl"), &mut self.skipped);
            }
            product.cpe = non_empty(string(helper, "cpe", &helper_pointer)?);
            for (file_pointer, file) in array(helper, "hashes", &helper_pointer)? {
                let file = object(file, &file_pointer)?;
                for (hash_pointer, hash) in array(file, "file_hashes", &file_pointer)? {
                    let hash = object(hash, &hash_pointer)?;
                    let algorithm = json::required_string(hash, "algorithm", &hash_pointer)?;
                    let digest = json::required_string(hash, "value", &hash_pointer)?;
                    match hash_algorithm(algorithm) {
                        Some(algorithm) => product.hashes.push(Hash::new(algorithm, digest)),
                        None => self.skipped.push(
                            &hash_pointer,
                            format!("hash algorithm `{algorithm}` not modelled"),
                        ),
                    }
                }
            }
        }
        self.products.insert(id.to_owned(), product);
        Ok(())
    }

    /// The product ids an entry (flag, threat, remediation) names directly or through groups.
    fn entry_products(
        &mut self,
        entry: &Map<String, Value>,
        pointer: &str,
    ) -> Result<Vec<String>, ShapeError> {
        let mut ids: Vec<String> = strings(entry, "product_ids", pointer)?
            .into_iter()
            .map(|(_, id)| id.to_owned())
            .collect();
        for (_, group) in strings(entry, "group_ids", pointer)? {
            ids.extend(self.groups.get(group).into_iter().flatten().cloned());
        }
        if ids.is_empty() {
            // Red Hat states each vulnerability's severity as a document-wide impact threat.
            self.skipped
                .push(pointer, "names no product: applies to no statement");
        }
        Ok(ids)
    }

    fn read_vulnerability(
        &mut self,
        value: &Value,
        pointer: &str,
        document: &VexDocument,
        is_vex: bool,
    ) -> Result<Vec<VexStatement>, ShapeError> {
        let map = object(value, pointer)?;
        let status_pointer = child(pointer, "product_status");
        let no_status = Map::new();
        let status_map = match map.get("product_status") {
            Some(status) => object(status, &status_pointer)?,
            None => &no_status,
        };
        if is_vex
            && !VEX_STATUS_GROUPS
                .iter()
                .any(|group| status_map.contains_key(*group))
        {
            self.problems.push(format!(
                "{status_pointer}: none of fixed, known_affected, known_not_affected, under_investigation (test 6.1.27.7)"
            ));
        }
        let mut names: Vec<String> = non_empty(string(map, "cve", pointer)?)
            .into_iter()
            .collect();
        for (id_pointer, id) in array(map, "ids", pointer)? {
            let id = object(id, &id_pointer)?;
            names.extend(non_empty(Some(json::required_string(
                id,
                "text",
                &id_pointer,
            )?)));
        }
        let Some((id, aliases)) = names.split_first() else {
            if is_vex {
                self.problems.push(format!(
                    "{pointer}: neither `cve` nor `ids`; the VEX profile requires one (test 6.1.27.8)"
                ));
            }
            self.skipped
                .push(pointer, "vulnerability without `cve` or `ids`");
            return Ok(Vec::new());
        };
        let vulnerability = VulnerabilityRef {
            id: id.clone(),
            aliases: aliases.to_vec(),
            description: None,
        };

        let mut remarks: HashMap<String, Remarks> = HashMap::new();
        for (flag_pointer, flag) in array(map, "flags", pointer)? {
            let flag = object(flag, &flag_pointer)?;
            let label = json::required_string(flag, "label", &flag_pointer)?;
            for product in self.entry_products(flag, &flag_pointer)? {
                remarks.entry(product).or_default().flag = Some(label.to_owned());
            }
        }
        for (threat_pointer, threat) in array(map, "threats", pointer)? {
            let threat = object(threat, &threat_pointer)?;
            let category = json::required_string(threat, "category", &threat_pointer)?;
            if category != "impact" {
                self.skipped.push(
                    &threat_pointer,
                    format!("threat category `{category}` not modelled"),
                );
                continue;
            }
            let details = json::required_string(threat, "details", &threat_pointer)?;
            for product in self.entry_products(threat, &threat_pointer)? {
                append(&mut remarks.entry(product).or_default().impact, details);
            }
        }
        for (remediation_pointer, remediation) in array(map, "remediations", pointer)? {
            let remediation = object(remediation, &remediation_pointer)?;
            let category = json::required_string(remediation, "category", &remediation_pointer)?;
            let action = match non_empty(string(remediation, "details", &remediation_pointer)?) {
                Some(details) => format!("{category}: {details}"),
                None => category.to_owned(),
            };
            for product in self.entry_products(remediation, &remediation_pointer)? {
                append(&mut remarks.entry(product).or_default().action, &action);
            }
        }

        // Products with the same status and remarks share one statement.
        let mut grouped: Vec<(VexStatus, Remarks, Vec<ProductRef>)> = Vec::new();
        let mut positions: HashMap<(VexStatus, Remarks), usize> = HashMap::new();
        for (group, status) in STATUS_GROUPS {
            for (product_pointer, product_id) in strings(status_map, group, &status_pointer)? {
                let remark = remarks.get(product_id).cloned().unwrap_or_default();
                if is_vex {
                    self.check_remarks(group, &remark, &product_pointer, product_id);
                }
                let product = self.products.get(product_id).cloned().unwrap_or_else(|| {
                    self.skipped.push(
                        &product_pointer,
                        format!("product `{product_id}` is not in the product tree; kept by id"),
                    );
                    ProductRef {
                        id: Some(product_id.to_owned()),
                        ..ProductRef::default()
                    }
                });
                let key = (status, remark);
                match positions.get(&key) {
                    Some(&position) => {
                        if let Some((_, _, products)) = grouped.get_mut(position) {
                            products.push(product);
                        }
                    }
                    None => {
                        positions.insert(key.clone(), grouped.len());
                        grouped.push((key.0, key.1, vec![product]));
                    }
                }
            }
        }
        let unknown_groups = status_map
            .keys()
            .filter(|group| !STATUS_GROUPS.iter().any(|(known, _)| known == group));
        for group in unknown_groups {
            self.skipped.push(
                child(&status_pointer, group),
                "unknown product status group",
            );
        }
        Ok(grouped
            .into_iter()
            .map(|(status, remark, products)| {
                let mut statement = VexStatement::new(vulnerability.clone(), products, status);
                if let Some(label) = remark.flag {
                    statement.justification = Justification::from_name(&label);
                    if statement.justification.is_none() {
                        statement.source_justification = Some(label);
                    }
                }
                statement.impact_statement = remark.impact;
                statement.action_statement = remark.action;
                statement.timestamp = document.timestamp.clone();
                statement.last_updated = document.last_updated.clone();
                statement
            })
            .collect())
    }

    /// Tests 6.1.27.9 and 6.1.27.10: a not-affected product needs a justification flag or an
    /// impact statement, an affected one a remediation.
    fn check_remarks(&mut self, group: &str, remark: &Remarks, pointer: &str, product_id: &str) {
        if group == "known_not_affected" && remark.flag.is_none() && remark.impact.is_none() {
            self.problems.push(format!(
                "{pointer}: known_not_affected product `{product_id}` has neither a flag nor an impact threat (test 6.1.27.9)"
            ));
        }
        if group == "known_affected" && remark.action.is_none() {
            self.problems.push(format!(
                "{pointer}: known_affected product `{product_id}` has no remediation (test 6.1.27.10)"
            ));
        }
    }
}

/// Adds `text` to a `; `-separated list.
fn append(list: &mut Option<String>, text: &str) {
    match list {
        Some(existing) => {
            existing.push_str("; ");
            existing.push_str(text);
        }
        None => *list = Some(text.to_owned()),
    }
}
