//! `awal normalize`: script-aware normalization, streamed line by line.

use std::path::PathBuf;

use anyhow::{bail, Result};
use awal_tokenize::normalize::{Normalizer, Options, Profile};
use clap::Args;

use crate::lines::{for_each_line, Decoding, Input};

/// Arguments of `awal normalize`.
#[derive(Args, Debug)]
pub struct NormalizeArgs {
    /// Input files; none or `-` reads stdin.
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Defaults for a kind of text: ary (also removes harakat, unifies alef), zgh, fra,
    /// auto; or prepare (only invisibles, spaces and line ends, as `awal prepare` does).
    #[arg(long, default_value = "auto")]
    profile: String,
    #[command(flatten)]
    options: OptionFlags,
    /// Replace invalid UTF-8 with U+FFFD (counted on stderr) instead of failing.
    #[arg(long)]
    lossy: bool,
}

/// Normalization switches shared by `normalize` and `tokenizer train`; each turns an
/// option on over the profile's defaults.
#[derive(Args, Debug, Clone, Default)]
pub struct OptionFlags {
    /// Lowercase after NFC.
    #[arg(long)]
    lowercase: bool,
    /// Remove Arabic harakat (short vowels, shadda, sukun, tanwin).
    #[arg(long)]
    remove_harakat: bool,
    /// أ إ آ ٱ → ا.
    #[arg(long)]
    unify_alef: bool,
    /// ؤ → و, ئ → ي.
    #[arg(long)]
    unify_hamza: bool,
    /// ى → ي (and Persian ی ک → ي ك).
    #[arg(long)]
    unify_ya: bool,
    /// ة → ه.
    #[arg(long)]
    unify_ta_marbuta: bool,
    /// Keep Arabic-Indic digits instead of mapping them to 0–9.
    #[arg(long)]
    keep_arabic_digits: bool,
}

/// Builds the normalizer of a profile name plus switches.
pub fn build(profile: &str, flags: &OptionFlags) -> Result<Normalizer> {
    let Some(profile) = Profile::parse(profile) else {
        let known: Vec<&str> = Profile::ALL.iter().map(|p| p.name()).collect();
        bail!("--profile {profile}: expected one of {}", known.join(", "));
    };
    let mut o: Options = profile.options();
    o.lowercase |= flags.lowercase;
    o.arabic.remove_harakat |= flags.remove_harakat;
    o.arabic.unify_alef |= flags.unify_alef;
    o.arabic.unify_hamza |= flags.unify_hamza;
    o.arabic.unify_ya |= flags.unify_ya;
    o.arabic.unify_ta_marbuta |= flags.unify_ta_marbuta;
    if flags.keep_arabic_digits {
        o.arabic.ascii_digits = false;
    }
    Ok(Normalizer::new(o))
}

pub fn run(args: &NormalizeArgs) -> Result<()> {
    let normalizer = build(&args.profile, &args.options)?;
    let inputs = Input::from_args(&args.files);
    let mut out = super::stdout();
    let decoding = Decoding { lossy: args.lossy };
    let tally = for_each_line(&inputs, decoding, &mut out, |_, line, buf| {
        buf.push_str(&normalizer.normalize(line.text));
        buf.push_str(line.terminator);
        Ok(())
    })?;
    super::report_lossy(&tally);
    Ok(())
}
