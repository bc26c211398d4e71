//! Waivers (`exceptions/**`): a waiver that holds marks the findings it covers as waived (still
//! reported, no longer counted); an expired waiver is a finding itself, and so is a waiver that
//! covers nothing.

use std::sync::Arc;

use cairn_diagnostics::{Code, Diagnostic, Location, Waived};
use cairn_model::{Catalog, FindingRef, Timestamp, Waiver, utc_date};

/// Applies `waivers` to `diagnostics` as of `now`, and adds the findings about the waivers. A
/// waiver holds through its expiry day in UTC.
pub(crate) fn apply(diagnostics: &mut Vec<Diagnostic>, waivers: &[Waiver], catalog: &Catalog, now: Timestamp) {
    if waivers.is_empty() {
        return;
    }
    let today = utc_date(now);
    let mut used = vec![false; waivers.len()];
    let marks: Vec<Option<Arc<Waived>>> = waivers
        .iter()
        .map(|waiver| {
            (!waiver.is_expired(today)).then(|| {
                Arc::new(Waived {
                    file: waiver.file.path().to_owned(),
                    owner: waiver.owner.clone(),
                    reason: waiver.reason.clone(),
                    expires: waiver.expires.value.to_string(),
                })
            })
        })
        .collect();
    for diagnostic in diagnostics.iter_mut() {
        if !waivable(diagnostic.code) {
            continue;
        }
        let Some(entity) = &diagnostic.entity else {
            continue;
        };
        let teams: Vec<String> = catalog.get(entity).map(cairn_model::Entity::owner_list).unwrap_or_default();
        let finding = FindingRef {
            code: diagnostic.code_name(),
            package: diagnostic.rule.as_ref().map(|rule| rule.package.as_str()),
            blueprint: Some(entity.kind()),
            identifier: Some(entity.name()),
            teams: &teams,
        };
        let covering = waivers.iter().enumerate().find(|(_, waiver)| waiver.covers(&finding));
        if let Some((index, _)) = covering {
            used[index] = true;
            if let Some(mark) = &marks[index] {
                diagnostic.waived = Some(Arc::clone(mark));
            }
        }
    }
    for (index, waiver) in waivers.iter().enumerate() {
        let rule = &waiver.rule.value;
        if waiver.is_expired(today) {
            diagnostics.push(
                Diagnostic::new(
                    Code::ExpiredWaiver,
                    format!("the waiver of `{rule}` expired on {}", waiver.expires.value),
                )
                .at(Location::new(&waiver.file, waiver.expires.span))
                .with_help(if used[index] {
                    format!(
                        "the findings it covered count again; fix them, or renew the waiver with its owner ({})",
                        waiver.owner
                    )
                } else {
                    "it covers nothing any more either: delete it".to_owned()
                }),
            );
        } else if !used[index] {
            diagnostics.push(
                Diagnostic::new(Code::UnusedWaiver, format!("the waiver of `{rule}` matches no finding"))
                    .at(Location::new(&waiver.file, waiver.rule.span))
                    .with_help("the findings it was for are fixed, or it names the wrong rule or entities: delete or correct it"),
            );
        }
    }
}

/// Findings a waiver may suppress: about the catalog, never about the rules or the waivers.
fn waivable(code: Code) -> bool {
    !code.breaks_rules()
        && !matches!(code, Code::RulesChanged | Code::InvalidWaiver | Code::ExpiredWaiver | Code::UnusedWaiver)
}
