//! SQL definitions as text: compared regardless of layout and comments, and described (which
//! functions they call) for error messages about schema objects tradescope did not create.

/// SQL text with comments removed and whitespace collapsed (outside quotes), so the same
/// definition compares equal however it was laid out.
pub(super) fn normalize_sql(sql: &Option<String>) -> String {
    let Some(sql) = sql else {
        return String::new();
    };
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    let mut space = false;
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' | '`' | '[' => {
                let close = if c == '[' { ']' } else { c };
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                out.push(c);
                // SQL doubles a quote to escape it, which this loop handles as close + open.
                for q in chars.by_ref() {
                    out.push(q);
                    if q == close {
                        break;
                    }
                }
            }
            '-' if chars.peek() == Some(&'-') => {
                for q in chars.by_ref() {
                    if q == '\n' {
                        break;
                    }
                }
                space = true;
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut prev = ' ';
                for q in chars.by_ref() {
                    if prev == '*' && q == '/' {
                        break;
                    }
                    prev = q;
                }
                space = true;
            }
            c if c.is_whitespace() => space = true,
            c => {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                out.push(c);
            }
        }
    }
    out
}

/// Names called as functions in `sql` (`name(`), apart from the object's own name, SQL
/// keywords and type names that take parentheses. Approximate: for the error message only.
pub(super) fn called_functions(sql: &str, own_name: &str) -> Vec<String> {
    const NOT_FUNCTIONS: &[&str] = &[
        "AS",
        "CHECK",
        "EXISTS",
        "IN",
        "INDEX",
        "KEY",
        "ON",
        "REFERENCES",
        "TABLE",
        "UNIQUE",
        "USING",
        "VALUES",
        "VIEW",
        "WHERE",
        "AND",
        "OR",
        "NOT",
        "SELECT",
        "FROM",
        "BEGIN",
        "VARCHAR",
        "CHAR",
        "DECIMAL",
        "NUMERIC",
        "PRIMARY",
        "FOREIGN",
        "DEFAULT",
    ];
    let mut out: Vec<String> = Vec::new();
    let bytes = sql.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_alphabetic() || bytes[i] == b'_' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            let word = &sql[start..i];
            let mut j = i;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            let is_call = bytes.get(j) == Some(&b'(')
                && !word.eq_ignore_ascii_case(own_name)
                && !NOT_FUNCTIONS.iter().any(|k| k.eq_ignore_ascii_case(word));
            if is_call && !out.iter().any(|w| w.eq_ignore_ascii_case(word)) {
                out.push(format!("{word}()"));
            }
        } else {
            i += 1;
        }
    }
    out.truncate(5);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_layout_and_comments_do_not_matter_but_literals_do() {
        let a = Some("CREATE TABLE t (\n  a TEXT, -- note\n  b /* x */ INT DEFAULT '--')".into());
        let b = Some("CREATE TABLE t ( a TEXT, b INT DEFAULT '--')".into());
        assert_eq!(normalize_sql(&a), normalize_sql(&b));
        let c = Some("CREATE TABLE t ( a TEXT, b INT DEFAULT '-- x')".into());
        assert_ne!(normalize_sql(&b), normalize_sql(&c));
    }

    #[test]
    fn function_calls_are_named() {
        let sql = "CREATE TRIGGER t AFTER INSERT ON list_entry BEGIN \
                   SELECT load_extension('/tmp/x.so'), writefile ('p', new.name); END";
        assert_eq!(
            called_functions(sql, "t"),
            vec!["load_extension()".to_string(), "writefile()".to_string()]
        );
        assert!(
            called_functions("CREATE VIEW v AS SELECT a FROM t WHERE a IN (1)", "v").is_empty()
        );
        assert!(called_functions("CREATE TABLE t (a VARCHAR(3))", "t").is_empty());
    }
}
