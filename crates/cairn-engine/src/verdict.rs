//! `Verdict`: what a run concludes, whatever the pipeline. Every exit code and every CI verdict
//! is made from it, so the decision is taken once, here.

/// Pass, fail, or could not judge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Nothing that counts failed (warnings and waived findings allowed).
    Pass,
    /// Something that counts failed: an error, or a failing policy test.
    Fail,
    /// The rules could not all be evaluated (a broken policy set): nothing is proven either way,
    /// which outranks any failure.
    Broken,
}

impl Verdict {
    /// The verdict of a run whose rules are `broken` or not, with `failures` things that count
    /// against it.
    #[must_use]
    pub fn of(broken: bool, failures: usize) -> Verdict {
        if broken {
            Verdict::Broken
        } else if failures > 0 {
            Verdict::Fail
        } else {
            Verdict::Pass
        }
    }

    /// `pass`, `fail` or `broken`, as the CI outputs spell it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::Broken => "broken",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Verdict;

    #[test]
    fn broken_outranks_failing() {
        let cases = [
            (false, 0, Verdict::Pass),
            (false, 3, Verdict::Fail),
            (true, 0, Verdict::Broken),
            (true, 3, Verdict::Broken),
        ];
        for (broken, failures, expected) in cases {
            assert_eq!(Verdict::of(broken, failures), expected, "{broken} {failures}");
        }
    }
}
