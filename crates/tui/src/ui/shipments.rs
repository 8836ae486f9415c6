//! The Shipments pane: the filter line and one keyset page of bills.

use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};
use ratatui::Frame;

use crate::app::model::{Data, Model};
use crate::app::nav::View;
use tradescope_store::asof::AsOfStatus;
use tradescope_store::shipments::{ShipmentRow, SortKey};

use super::text::{cell, clean, column_widths};
use super::theme::Theme;

pub fn draw(m: &Model, f: &mut Frame, area: Rect, t: &Theme) {
    let (line, body) = super::list_areas(m, area);
    let View::Shipments {
        base_label,
        query,
        sort,
        ..
    } = &m.route().view
    else {
        return;
    };
    let label = super::scoped_label(base_label.as_deref(), "Filter:");
    super::draw_filter_line(
        m,
        f,
        line,
        t,
        &label,
        query,
        "party: country: hs: from: to: listed: products: or words",
        "press / to filter: party: country: hs: from: to: or words",
    );
    let (rows, as_of) = match &m.screen().data {
        Data::Shipments { page, as_of, .. } if !page.rows.is_empty() => (&page.rows, as_of),
        _ => {
            let text = super::placeholder_text(
                m,
                &super::empty_text("shipments", base_label.as_deref(), query),
            );
            f.render_widget(Paragraph::new(Span::styled(text, t.dim())), body);
            return;
        }
    };
    // Ports in their own From / To columns from 120 columns on; below, the countries
    // ("CN → VN") leave room for the names. Description takes what is left.
    let wide = area.width >= 120;
    let widths: Vec<Constraint> = if wide {
        vec![
            Constraint::Length(1),
            Constraint::Length(10),
            Constraint::Length(8),
            Constraint::Fill(3),
            Constraint::Fill(3),
            Constraint::Fill(2),
            Constraint::Fill(2),
            Constraint::Length(6),
            Constraint::Fill(4),
        ]
    } else {
        vec![
            Constraint::Length(1),
            Constraint::Length(10),
            Constraint::Length(8),
            Constraint::Fill(3),
            Constraint::Fill(3),
            Constraint::Length(7),
            Constraint::Length(6),
            Constraint::Fill(4),
        ]
    };
    let cols = column_widths(body.width, &widths);
    let w = |i: usize| cols.get(i).copied().unwrap_or(0);
    // The sort mark survives a narrow column: the name is cut, not the mark.
    let title = |k: SortKey, name: &str, i: usize| {
        super::fitted_sorted_title(name, k == sort.key, sort.desc, w(i))
    };
    let mut titles = vec![
        String::new(),
        title(SortKey::Date, "Date", 1),
        "As of".to_string(),
        title(SortKey::Shipper, "Shipper", 3),
        title(SortKey::Consignee, "Consignee", 4),
    ];
    if wide {
        titles.push(title(SortKey::Origin, "From", 5));
        titles.push(title(SortKey::Destination, "To", 6));
        titles.push(title(SortKey::Hs, "HS", 7));
    } else {
        titles.push(route_title(sort.key, sort.desc));
        titles.push(title(SortKey::Hs, "HS", 6));
    }
    titles.push("Description".to_string());
    let header = Row::new(titles).style(t.header());
    let table = Table::new(
        rows.iter().enumerate().map(|(i, r)| {
            let status = as_of.get(i).copied().flatten();
            row(r, status, t, wide, &cols)
        }),
        widths,
    )
    .header(header)
    .column_spacing(1)
    .row_highlight_style(t.selected());
    let r = m.route();
    let mut state = TableState::new()
        .with_offset(r.scroll)
        .with_selected(Some(r.cursor));
    f.render_stateful_widget(table, body, &mut state);
}

/// The 7-column Route header ("CN → VN" below it): which end is sorted, and how.
fn route_title(key: SortKey, desc: bool) -> String {
    let mark = if desc { "▼" } else { "▲" };
    match key {
        SortKey::Origin => format!("Fr{mark}→To"),
        SortKey::Destination => format!("Fr→To{mark}"),
        _ => "Route".to_string(),
    }
}

fn row<'a>(
    r: &'a ShipmentRow,
    as_of: Option<AsOfStatus>,
    t: &Theme,
    wide: bool,
    cols: &[usize],
) -> Row<'a> {
    let w = |i: usize| cols.get(i).copied().unwrap_or(0);
    let style = if r.synthetic {
        t.synthetic()
    } else {
        Style::new()
    };
    let mut cells = vec![
        Cell::from(Span::styled(
            if r.synthetic { "◆" } else { "" },
            t.synthetic(),
        )),
        Cell::from(cell(r.ship_date.as_deref(), w(1))),
        Cell::from(Span::styled(
            as_of.map(AsOfStatus::short).unwrap_or(""),
            match as_of {
                Some(AsOfStatus::ListedAtDate | AsOfStatus::StartUnknown) => t.error(),
                Some(_) => t.notice(),
                None => Style::new(),
            },
        )),
        Cell::from(cell(r.shipper.as_deref(), w(3))),
        Cell::from(cell(r.consignee.as_deref(), w(4))),
    ];
    if wide {
        let from = r.origin.as_deref().or(r.origin_country.as_deref());
        let to = r.destination.as_deref().or(r.dest_country.as_deref());
        cells.push(Cell::from(cell(from, w(5))));
        cells.push(Cell::from(cell(to, w(6))));
        cells.push(Cell::from(cell(r.hs_code.as_deref(), w(7))));
        cells.push(Cell::from(cell(r.description.as_deref(), w(8))));
    } else {
        let from = r.origin_country.as_deref().or(r.origin.as_deref());
        let to = r.dest_country.as_deref().or(r.destination.as_deref());
        cells.push(Cell::from(cell(
            Some(&format!("{} → {}", clean(from), clean(to))),
            w(5),
        )));
        cells.push(Cell::from(cell(r.hs_code.as_deref(), w(6))));
        cells.push(Cell::from(cell(r.description.as_deref(), w(7))));
    }
    Row::new(cells).style(style)
}
