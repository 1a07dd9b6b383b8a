//! Quality gates for CI: `--min-accuracy`, `--max-cer`, `--max-parity`.
//!
//! An evaluation command prints its report as usual, then checks each gate the user gave
//! against the measured figures; every missed gate is named in one error, so the command
//! exits 1 and a CI log shows all that failed at once, not only the first.

use anyhow::{bail, Result};

/// Parses a share in `0..=1` (an accuracy or a character error rate).
pub fn parse_share(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number (expected a share from 0 to 1)"))?;
    if !(0.0..=1.0).contains(&value) {
        return Err(format!("{text} is outside 0..=1 (a share: 0.8 means 80 %)"));
    }
    Ok(value)
}

/// A floor on accuracy: overall (`0.9`) or for one label (`ary_Arab=0.95`).
#[derive(Clone, Debug, PartialEq)]
pub struct AccuracyFloor {
    /// `None`: overall accuracy.
    pub label: Option<String>,
    pub min: f64,
}

/// Parses `X` or `LABEL=X` for `--min-accuracy`.
pub fn parse_accuracy_floor(text: &str) -> Result<AccuracyFloor, String> {
    match text.split_once('=') {
        Some((label, value)) if !label.trim().is_empty() => Ok(AccuracyFloor {
            label: Some(label.trim().to_string()),
            min: parse_share(value)?,
        }),
        Some(_) => Err(format!(
            "`{text}`: expected X or LABEL=X, the label is empty"
        )),
        None => Ok(AccuracyFloor {
            label: None,
            min: parse_share(text)?,
        }),
    }
}

/// A ceiling on one language's parity: `fra_Latn=1.2`.
#[derive(Clone, Debug, PartialEq)]
pub struct ParityCeiling {
    pub lang: String,
    pub max: f64,
}

/// Parses `LANG=X` for `--max-parity`; X is a positive ratio (1.2 = 20 % more tokens
/// than the pivot).
pub fn parse_parity_ceiling(text: &str) -> Result<ParityCeiling, String> {
    let Some((lang, value)) = text.split_once('=') else {
        return Err(format!("`{text}`: expected LANG=X, e.g. fra_Latn=1.2"));
    };
    let lang = lang.trim();
    if lang.is_empty() {
        return Err(format!("`{text}`: expected LANG=X, the language is empty"));
    }
    let max: f64 = value
        .trim()
        .parse()
        .map_err(|_| format!("`{value}` is not a number (expected a parity such as 1.2)"))?;
    if !(max.is_finite() && max > 0.0) {
        return Err(format!(
            "{value}: a parity ceiling must be a positive number"
        ));
    }
    Ok(ParityCeiling {
        lang: lang.to_string(),
        max,
    })
}

/// Collects the gates a run missed.
#[derive(Debug, Default)]
pub struct Gates {
    missed: Vec<String>,
}

impl Gates {
    /// Records `what measured < gate` when the measured figure is below `min`; `gate` is
    /// the option as the user wrote it (`--min-accuracy 0.8`).
    pub fn at_least(&mut self, what: &str, measured: f64, min: f64, gate: &str) {
        if measured < min {
            self.missed.push(format!("{what} {measured:.4} < {gate}"));
        }
    }

    /// Records `what measured > gate` when the measured figure is above `max`.
    pub fn at_most(&mut self, what: &str, measured: f64, max: f64, gate: &str) {
        if measured > max {
            self.missed.push(format!("{what} {measured:.4} > {gate}"));
        }
    }

    /// Records a gate that could not be checked, which counts as missed: a CI gate that
    /// silently passes because its figure is absent would flatter the run.
    pub fn unmeasured(&mut self, reason: String) {
        self.missed.push(reason);
    }

    /// Fails naming every missed gate, or succeeds when none was.
    pub fn finish(self) -> Result<()> {
        match self.missed.len() {
            0 => Ok(()),
            1 => bail!("gate missed: {}", self.missed[0]),
            n => bail!("{n} gates missed: {}", self.missed.join("; ")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_outside_zero_to_one_are_refused() {
        assert_eq!(parse_share("0.8"), Ok(0.8));
        assert_eq!(parse_share("1"), Ok(1.0));
        assert!(parse_share("80").unwrap_err().contains("outside 0..=1"));
        assert!(parse_share("-0.1").is_err());
        assert!(parse_share("NaN").is_err());
        assert!(parse_share("abc").unwrap_err().contains("not a number"));
    }

    #[test]
    fn accuracy_floors_are_overall_or_per_label() {
        assert_eq!(
            parse_accuracy_floor("0.9"),
            Ok(AccuracyFloor {
                label: None,
                min: 0.9
            })
        );
        assert_eq!(
            parse_accuracy_floor("ary_Arab=0.95"),
            Ok(AccuracyFloor {
                label: Some("ary_Arab".into()),
                min: 0.95
            })
        );
        assert!(parse_accuracy_floor("=0.9").is_err());
        assert!(parse_accuracy_floor("ary_Arab=2").is_err());
    }

    #[test]
    fn parity_ceilings_need_a_language_and_a_positive_ratio() {
        assert_eq!(
            parse_parity_ceiling("fra_Latn=1.2"),
            Ok(ParityCeiling {
                lang: "fra_Latn".into(),
                max: 1.2
            })
        );
        assert!(parse_parity_ceiling("1.2").is_err());
        assert!(parse_parity_ceiling("fra_Latn=0").is_err());
        assert!(parse_parity_ceiling("fra_Latn=x").is_err());
    }

    #[test]
    fn every_missed_gate_is_named() {
        let mut gates = Gates::default();
        gates.at_least("exact", 0.9, 0.8, "--min-accuracy 0.8");
        gates.at_most("CER", 0.01, 0.05, "--max-cer 0.05");
        assert!(gates.finish().is_ok());
        let mut gates = Gates::default();
        gates.at_least("exact", 0.781, 0.8, "--min-accuracy 0.8");
        gates.at_most("CER", 0.06, 0.05, "--max-cer 0.05");
        let message = gates.finish().unwrap_err().to_string();
        assert!(message.starts_with("2 gates missed:"), "{message}");
        assert!(
            message.contains("exact 0.7810 < --min-accuracy 0.8"),
            "{message}"
        );
        assert!(message.contains("CER 0.0600 > --max-cer 0.05"), "{message}");
    }
}
