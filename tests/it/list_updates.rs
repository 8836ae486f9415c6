//! The running workbench notices list updates another process makes (issue 14 item 5): the
//! watcher sees `PRAGMA data_version` move and the list versions change, the status line says
//! "lists updated: csl 2023-11-16 — R reloads", and after `R` no entry the update removed or
//! replaced is shown as current — in the typeahead or in screening.

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use rusqlite::Connection;
use tradescope::app::keymap;
use tradescope::app::model::{Data, Model};
use tradescope::app::watch::Watch;
use tradescope::app::{update, Action, Command, Worker};
use tradescope::db;
use tradescope::db::import::{self, Format, ImportOptions, Input};
use tradescope::progress::NoProgress;

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

const V1: &str = "tests/fixtures/releases/input/csl_2023-11-01.csv";
const V2: &str = "tests/fixtures/releases/input/csl_2023-11-16.csv";

fn settle(m: &mut Model, w: &mut Worker, cmds: Vec<Command>) {
    let mut queue: std::collections::VecDeque<Command> = cmds.into();
    let mut steps = 0;
    while let Some(cmd) = queue.pop_front() {
        steps += 1;
        assert!(steps < 1000, "commands keep coming: {cmd:?}");
        if let Some(a) = w.run(cmd, &|| false) {
            queue.extend(update(m, a));
        }
    }
}

fn press(m: &mut Model, w: &mut Worker, a: Action) {
    let cmds = update(m, a);
    settle(m, w, cmds);
}

fn type_text(m: &mut Model, w: &mut Worker, s: &str) {
    for c in s.chars() {
        press(m, w, Action::Insert(c));
    }
}

/// Entity ids of the list-entry hits on screen (typeahead or screening).
fn entity_hits(m: &Model) -> Vec<i64> {
    match &m.screen().data {
        Data::Entities(r, _) => r
            .hits
            .iter()
            .filter(|h| !matches!(&*h.record.badge, "PARTY" | "ASSIGNEE"))
            .map(|h| h.record.id)
            .collect(),
        Data::Screening(s) => s.hits.iter().map(|h| h.id).collect(),
        other => panic!("not the entities pane: {other:?}"),
    }
}

fn current(conn: &Connection, id: i64) -> bool {
    conn.query_row("SELECT current FROM list_entry WHERE id = ?1", [id], |r| {
        r.get::<_, i64>(0)
    })
    .expect("entry")
        == 1
}

fn status_line(m: &Model) -> String {
    let mut term = Terminal::new(TestBackend::new(120, 24)).expect("terminal");
    term.draw(|f| tradescope::ui::draw(m, f)).expect("draw");
    let buf = term.backend().buffer().clone();
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn key(c: char) -> Action {
    let m = Model::new("x", 80, 24, false);
    let mut m = m;
    m.mode = tradescope::app::model::Mode::Normal;
    keymap::lookup(&m, KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)).expect("bound")
}

#[test]
fn workbench_notices_a_list_update_by_another_process_and_r_reloads_it() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("lists.db");
    {
        let mut conn = db::open_rw(&path).expect("db");
        let opts = ImportOptions {
            as_of: Some("2023-11-01".into()),
            ..ImportOptions::default()
        };
        import::import(
            &mut conn,
            Format::Csl,
            &[Input::path(repo(V1))],
            &opts,
            &NoProgress,
        )
        .expect("import v1");
    }
    let mut m = Model::new("lists.db", 120, 24, false);
    let mut w = Worker::new(&path);
    let cmds = update(&mut m, Action::Start);
    settle(&mut m, &mut w, cmds);
    assert!(m
        .sources
        .contains(&("csl".into(), Some("2023-11-01".into()))));
    let mut watch = Watch::open(std::sync::Arc::new(db::SqliteStore::lazy(&path))).expect("watch");
    assert_eq!(watch.poll().expect("poll"), None, "nothing changed yet");

    type_text(&mut m, &mut w, "abbas");
    let before = entity_hits(&m);
    assert!(!before.is_empty(), "ABBAS entries listed in v1");
    // Screening builds its index now, from v1.
    press(&mut m, &mut w, Action::ToggleScreening);
    let screened_before = entity_hits(&m);
    assert!(!screened_before.is_empty());
    press(&mut m, &mut w, Action::ToggleScreening);

    // Another process imports the next version (two ABBAS entries dropped from it).
    let out = Process::new(env!("CARGO_BIN_EXE_tradescope"))
        .arg("--db")
        .arg(&path)
        .args([
            "import",
            "csl",
            repo(V2).to_str().expect("utf8"),
            "--as-of",
            "2023-11-16",
        ])
        .env("XDG_DATA_HOME", dir.path().join("xdg"))
        .output()
        .expect("run import");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let conn = Connection::open(&path).expect("raw");
    // Until the update is noticed the old entries are on screen: what the status line is for.
    assert!(before.iter().any(|id| !current(&conn, *id)));
    assert!(screened_before.iter().any(|id| !current(&conn, *id)));

    let lists = watch.poll().expect("poll").expect("the update is seen");
    assert!(
        lists.contains(&("csl".into(), Some("2023-11-16".into()))),
        "{lists:?}"
    );
    assert_eq!(watch.poll().expect("poll"), None, "seen once");
    let cmds = update(&mut m, Action::ListsUpdated(lists));
    assert!(cmds.is_empty());
    assert_eq!(
        m.lists_updated.as_deref(),
        Some("lists updated: csl 2023-11-16 — R reloads")
    );
    assert!(status_line(&m).contains("lists updated: csl 2023-11-16 — R reloads"));
    // A key does not hide it (it is not a one-off message).
    press(&mut m, &mut w, Action::Down);
    assert!(m.lists_updated.is_some());

    // R reloads: the names, the list versions, the view.
    let r = key('R');
    assert_eq!(r, Action::Reload);
    let cmds = update(&mut m, r);
    assert_eq!(cmds.first(), Some(&Command::Reload));
    settle(&mut m, &mut w, cmds);
    assert_eq!(m.lists_updated, None);
    assert!(!status_line(&m).contains("lists updated"));
    assert!(m
        .sources
        .contains(&("csl".into(), Some("2023-11-16".into()))));
    let after = entity_hits(&m);
    assert!(!after.is_empty(), "the ABBAS entries still listed");
    for id in &after {
        assert!(
            current(&conn, *id),
            "entry {id} shown after reload is not current"
        );
    }
    let removed: i64 = conn
        .query_row(
            "SELECT count(*) FROM list_entry WHERE current = 1 AND name IN ('''ABBAS, Rim', '''ABBAS, Yasir')",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(removed, 0, "the update removed them");

    // Screening uses the reloaded index too: only current entries.
    press(&mut m, &mut w, Action::ToggleScreening);
    let screened = entity_hits(&m);
    assert!(matches!(m.screen().data, Data::Screening(_)));
    assert!(screened_before
        .iter()
        .filter(|id| !current(&conn, **id))
        .all(|id| !screened.contains(id)));
    for id in &screened {
        assert!(current(&conn, *id), "screening hit {id} is not current");
    }
}
