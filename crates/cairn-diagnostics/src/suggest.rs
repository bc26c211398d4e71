//! "Did you mean …?" for names that are close to a known one.

/// The candidate closest to `name` by edit distance, if it is close enough to be a likely typo.
#[must_use]
pub fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .filter(|candidate| *candidate != name)
        .map(|candidate| (edit_distance(&name.to_lowercase(), &candidate.to_lowercase()), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min()
        .map(|(_, candidate)| candidate)
}

/// Up to `count` candidates close enough to `name` to be a likely typo, nearest first (ties in
/// the candidates' order).
#[must_use]
pub fn near_names<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>, count: usize) -> Vec<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    let mut near: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter(|candidate| *candidate != name)
        .map(|candidate| (edit_distance(&name.to_lowercase(), &candidate.to_lowercase()), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .collect();
    near.sort_by_key(|(distance, _)| *distance);
    let mut names: Vec<&str> = Vec::with_capacity(count);
    for (_, candidate) in near {
        if names.len() == count {
            break;
        }
        if !names.contains(&candidate) {
            names.push(candidate);
        }
    }
    names
}

/// Edit distance over characters, counting a swap of two neighbours as one edit (`mian` is one
/// edit from `main`), as typos usually are: the optimal string alignment distance.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    // Three rows of the table: two back, one back, and the one being filled.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut row: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        row[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            row[j] = (previous[j] + 1).min(row[j - 1] + 1).min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                row[j] = row[j].min(before[j - 2] + 1);
            }
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut row);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_only_close_names() {
        assert_eq!(did_you_mean("Componnet", ["API", "Component", "System"]), Some("Component"));
        assert_eq!(did_you_mean("consumesApi", ["consumesApis", "providesApis"]), Some("consumesApis"));
        assert_eq!(did_you_mean("Frobnicator", ["API", "Component"]), None);
    }

    #[test]
    fn near_names_are_the_closest_few_nearest_first() {
        let branches = ["main", "origin/main", "maint", "feature/login", "mainline"];
        assert_eq!(near_names("mian", branches, 3), ["main"]);
        assert_eq!(near_names("mainn", branches, 3), ["main", "maint"]);
        assert_eq!(near_names("main", branches, 1), ["maint"]);
        assert_eq!(edit_distance("mian", "main"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert!(near_names("release", branches, 3).is_empty());
    }
}
