//! The Patents pane: lookup by number, title words or assignee; one keyset page of patents.

use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};
use ratatui::Frame;

use crate::app::model::{Data, Model};
use crate::app::nav::View;
use tradescope_store::patents::{PatentRow, PatentSortKey};

use super::text::{cell, column_widths};
use super::theme::Theme;

pub fn draw(m: &Model, f: &mut Frame, area: Rect, t: &Theme) {
    let (line, body) = super::list_areas(m, area);
    let View::Patents {
        base_label,
        query,
        sort,
        ..
    } = &m.route().view
    else {
        return;
    };
    let label = super::scoped_label(base_label.as_deref(), "Lookup:");
    super::draw_filter_line(
        m,
        f,
        line,
        t,
        &label,
        query,
        "a number, title words, an assignee, cet:AI cpc:H04N year:2022",
        "press / to look up a number, title words, an assignee, cet:, cpc:, year:",
    );
    let rows = match &m.screen().data {
        Data::Patents { page, .. } if !page.rows.is_empty() => &page.rows,
        _ => {
            let text = super::placeholder_text(
                m,
                &super::empty_text("patents", base_label.as_deref(), query),
            );
            f.render_widget(Paragraph::new(Span::styled(text, t.dim())), body);
            return;
        }
    };
    let title = |k: PatentSortKey, name: &str| super::sorted_title(name, k == sort.key, sort.desc);
    let header = Row::new(vec![
        String::new(),
        title(PatentSortKey::Number, "Number"),
        title(PatentSortKey::Date, "Date"),
        "Title".into(),
        "Assignee".into(),
        "CPC".into(),
        "CET".into(),
    ])
    .style(t.header());
    let widths = [
        Constraint::Length(1),
        Constraint::Length(15),
        Constraint::Length(10),
        Constraint::Fill(4),
        Constraint::Fill(2),
        Constraint::Fill(1),
        Constraint::Length(if body.width >= 120 { 20 } else { 8 }),
    ];
    let cols = column_widths(body.width, &widths);
    let table = Table::new(rows.iter().map(|r| row(r, t, &cols)), widths)
        .header(header)
        .column_spacing(1)
        .row_highlight_style(t.selected());
    let r = m.route();
    let mut state = TableState::new()
        .with_offset(r.scroll)
        .with_selected(Some(r.cursor));
    f.render_stateful_widget(table, body, &mut state);
}

fn row<'a>(r: &'a PatentRow, t: &Theme, cols: &[usize]) -> Row<'a> {
    let w = |i: usize| cols.get(i).copied().unwrap_or(0);
    let style = if r.synthetic {
        t.synthetic()
    } else {
        Style::new()
    };
    Row::new(vec![
        Cell::from(Span::styled(
            if r.synthetic { "◆" } else { "" },
            t.synthetic(),
        )),
        Cell::from(cell(Some(&r.number), w(1))),
        Cell::from(cell(r.publication_date.as_deref(), w(2))),
        // A title the source leaves empty says so (dimmed), rather than a blank cell.
        match r.title.as_deref().map(str::trim) {
            Some(title) if !title.is_empty() => Cell::from(cell(Some(title), w(3))),
            _ => Cell::from(Span::styled(
                cell(Some(tradescope_core::view::NO_TITLE), w(3)),
                t.dim(),
            )),
        },
        Cell::from(cell(r.assignee.as_deref(), w(4))),
        Cell::from(cell(r.cpc.as_deref(), w(5))),
        Cell::from(cell(r.cet.as_deref(), w(6))),
    ])
    .style(style)
}
