//! A tiny argument scanner: options are taken out by name, what is left are positionals.
//! Unknown options are an error, so a typo never passes silently.

use super::CliError;

pub struct Args {
    words: Vec<String>,
}

impl Args {
    pub fn new(words: Vec<String>) -> Self {
        Args { words }
    }

    /// Removes a boolean flag; true if it was present.
    pub fn flag(&mut self, names: &[&str]) -> bool {
        let before = self.words.len();
        self.words.retain(|w| !names.contains(&w.as_str()));
        self.words.len() != before
    }

    /// Removes `NAME VALUE` or `NAME=VALUE` (the last one wins); an option without its
    /// value is a usage error.
    pub fn value(&mut self, names: &[&str]) -> Result<Option<String>, CliError> {
        Ok(self.values(names)?.pop())
    }

    /// Removes every `NAME VALUE` / `NAME=VALUE`, in order.
    pub fn values(&mut self, names: &[&str]) -> Result<Vec<String>, CliError> {
        let mut found = Vec::new();
        let mut kept = Vec::with_capacity(self.words.len());
        let mut it = std::mem::take(&mut self.words).into_iter();
        while let Some(w) = it.next() {
            if names.contains(&w.as_str()) {
                match it.next() {
                    Some(v) => found.push(v),
                    None => return Err(CliError::usage(format!("usage: {w} needs a value"))),
                }
            } else if let Some((n, v)) = w.split_once('=').filter(|(n, _)| names.contains(n)) {
                let _ = n;
                found.push(v.to_string());
            } else {
                kept.push(w);
            }
        }
        self.words = kept;
        Ok(found)
    }

    /// Removes every `NAME VALUE` / `NAME=VALUE` for any of `names`, in command-line order,
    /// each with the name it came with (for options whose relative order matters).
    pub fn tagged_values(&mut self, names: &[&str]) -> Result<Vec<(String, String)>, CliError> {
        let mut found = Vec::new();
        let mut kept = Vec::with_capacity(self.words.len());
        let mut it = std::mem::take(&mut self.words).into_iter();
        while let Some(w) = it.next() {
            if names.contains(&w.as_str()) {
                match it.next() {
                    Some(v) => found.push((w, v)),
                    None => return Err(CliError::usage(format!("usage: {w} needs a value"))),
                }
            } else if let Some((n, v)) = w.split_once('=').filter(|(n, _)| names.contains(n)) {
                found.push((n.to_string(), v.to_string()));
            } else {
                kept.push(w);
            }
        }
        self.words = kept;
        Ok(found)
    }

    /// The remaining words, which must all be positionals (`-` alone counts as one).
    pub fn positionals(self) -> Result<Vec<String>, CliError> {
        if let Some(bad) = self.words.iter().find(|w| w.starts_with('-') && w.len() > 1) {
            return Err(CliError::usage(format!("usage: unknown option {bad}")));
        }
        Ok(self.words)
    }

    /// Exactly one positional (the input file).
    pub fn one_file(self) -> Result<String, CliError> {
        let mut p = self.positionals()?;
        match p.len() {
            1 => Ok(p.remove(0)),
            0 => Err(CliError::usage("usage: an input FILE is needed (use - for standard input)")),
            _ => Err(CliError::usage(format!("usage: one input FILE expected, got {}", p.len()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Args {
        Args::new(s.split_whitespace().map(String::from).collect())
    }

    #[test]
    fn options_and_positionals() {
        let mut a = args("-o out.dtb --force in.dtb");
        assert_eq!(a.value(&["-o"]).unwrap(), Some("out.dtb".into()));
        assert!(a.flag(&["--force"]));
        assert_eq!(a.one_file().unwrap(), "in.dtb");
    }

    #[test]
    fn equals_form_and_repeats() {
        let mut a = args("-W=x -W y f");
        assert_eq!(a.values(&["-W"]).unwrap(), vec!["x".to_string(), "y".to_string()]);
        assert_eq!(a.one_file().unwrap(), "f");
    }

    #[test]
    fn errors() {
        assert!(args("-o").value(&["-o"]).is_err());
        assert!(args("--bogus f").one_file().is_err());
        assert!(args("").one_file().is_err());
        assert!(args("a b").one_file().is_err());
        assert_eq!(args("-").one_file().unwrap(), "-");
    }
}
