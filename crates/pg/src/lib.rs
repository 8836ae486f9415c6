//! tradescope on PostgreSQL (issue 19, in parts): the schema and its versions
//! ([`schema`]), moving a whole database between SQLite and PostgreSQL ([`copy`]), the
//! `Store` on PostgreSQL ([`PgStore`]: every method the workbench calls, most of them the
//! store's own queries run through `tradescope_store::sql::Sql`), and a throwaway server for
//! tests and CI ([`cluster`]).
//!
//! The client is the synchronous [`postgres`] crate: the workbench's workers are plain
//! threads, so an async runtime (tokio-postgres underneath, driven by `postgres` itself)
//! would add nothing but a second concurrency model. Patent word search reads `patent_word`
//! ([`words`]). Not yet here: imports written straight into PostgreSQL (`init` builds in a
//! temporary SQLite file and copies it over; `import` on a URL is refused), and `screen --file`,
//! `watch`, reference tables and `backup` on a URL (docs/scaling.md lists them).

pub mod cluster;
pub mod copy;
mod copy_text;
pub mod error;
pub mod schema;
pub mod store;
pub mod words;

pub use store::PgStore;

pub use error::{Error, Result};

/// Whether `db` names a PostgreSQL database (`postgresql://…` or `postgres://…`) rather than
/// a SQLite file.
pub fn is_url(db: &str) -> bool {
    db.starts_with("postgresql://") || db.starts_with("postgres://")
}

/// Connect to the database at `url`.
pub fn connect(url: &str) -> Result<postgres::Client> {
    postgres::Client::connect(url, postgres::NoTls).map_err(|e| Error::Connect {
        url: redact(url),
        source: e,
    })
}

/// `url` without its password, for messages.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or_default();
            if userinfo.contains(':') {
                format!("{scheme}://{user}:***@{host}")
            } else {
                format!("{scheme}://{userinfo}@{host}")
            }
        }
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_told_from_paths_and_passwords_never_shown() {
        assert!(is_url("postgresql://u@localhost:5432/db"));
        assert!(is_url("postgres://u@h/db"));
        assert!(!is_url("/home/u/tradescope.db"));
        assert!(!is_url("postgresql.db"));
        assert_eq!(
            redact("postgresql://ann:secret@h:5/db"),
            "postgresql://ann:***@h:5/db"
        );
        assert_eq!(redact("postgresql://ann@h/db"), "postgresql://ann@h/db");
    }
}
