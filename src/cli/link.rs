//! `tradescope link confirm|reject|reset ENTRY_ID party|assignee ID --reason TEXT` and
//! `tradescope link reviews`: review the links the matcher made between list entries and trade
//! parties or patent assignees. The store keeps them: `tradescope_store::link_review`.

use clap::{Args, Subcommand};

use super::output::json;
use tradescope_core::link::{LinkPair, PairTarget};
use tradescope_core::text::sanitize::sanitize;
use tradescope_store::error::Error;
use tradescope_store::link_review::{LinkReview, Verdict};
use tradescope_store::Store;

#[derive(Debug, Subcommand)]
pub enum LinkAction {
    /// Confirm a link (marked ✓ wherever it is shown)
    Confirm(ReviewArgs),
    /// Reject a link: it leaves drills, counts, the intersection and trails ("rejected links: N"
    /// in the detail view shows it again)
    Reject(ReviewArgs),
    /// Put a reviewed link back to the matcher's verdict (un-reject, un-confirm)
    Reset(ReviewArgs),
    /// The reviews (oldest first), of one list entry's listing with ENTRY_ID
    Reviews {
        entry_id: Option<i64>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The list entry (its id in `search`, `screen` or `show`); the review holds for its
    /// listing, across list versions
    pub entry_id: i64,
    /// What the entry is linked to: party (a trade party) or assignee (a patent assignee)
    #[arg(value_parser = ["party", "assignee"])]
    pub target: String,
    /// The party's or assignee's id
    pub id: i64,
    /// Why: an auditor reads it
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    #[arg(long)]
    pub json: bool,
}

pub fn run(store: &dyn Store, action: LinkAction) -> anyhow::Result<()> {
    let (args, verdict) = match action {
        LinkAction::Confirm(a) => (a, Verdict::Confirmed),
        LinkAction::Reject(a) => (a, Verdict::Rejected),
        LinkAction::Reset(a) => (a, Verdict::Auto),
        LinkAction::Reviews {
            entry_id,
            json: as_json,
        } => return list(store, entry_id, as_json),
    };
    let target = PairTarget::parse(&args.target).ok_or_else(|| {
        Error::User(format!(
            "{:?} is not party or assignee",
            sanitize(&args.target)
        ))
    })?;
    let pair = LinkPair {
        entry_id: args.entry_id,
        target,
        target_id: args.id,
        // The status before the review: not read by it.
        status: String::new(),
    };
    let r = store.review_link(&pair, verdict, &args.reason)?;
    if args.json {
        return json(&r);
    }
    outln!("{}", line(&r));
    Ok(())
}

fn line(r: &LinkReview) -> String {
    format!(
        "review {}: {} ({}) ↔ {} #{} {} = {} — {:?} ({} by {})",
        r.id,
        sanitize(r.listed_name.as_deref().unwrap_or("?")),
        sanitize(&r.listing_key),
        r.target,
        r.target_id,
        sanitize(r.target_name.as_deref().unwrap_or("?")),
        r.status,
        sanitize(&r.reason),
        r.at,
        sanitize(&r.by)
    )
}

fn list(store: &dyn Store, entry_id: Option<i64>, as_json: bool) -> anyhow::Result<()> {
    let all = store.link_reviews(entry_id)?;
    if as_json {
        return json(&all);
    }
    if all.is_empty() {
        outln!(
            "no link reviews yet (record one with `tradescope link confirm|reject ENTRY_ID \
             party|assignee ID --reason …`)"
        );
        return Ok(());
    }
    for r in &all {
        outln!("{}", line(r));
    }
    outln!("{} reviews", all.len());
    Ok(())
}
