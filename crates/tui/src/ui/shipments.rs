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
    // Ports at full width; at 80 columns the countries ("CN → VN") leave room for the names.
    let wide = area.width >= 120;
    let title = |k: SortKey, name: &str| super::sorted_title(name, k == sort.key, sort.desc);
    let header = Row::new(vec![
        String::new(),
        title(SortKey::Date, "Date"),
        "As of".to_string(),
        title(SortKey::Shipper, "Shipper"),
        title(SortKey::Consignee, "Consignee"),
        if wide {
            format!(
                "{} → {}",
                title(SortKey::Origin, "From port"),
                title(SortKey::Destination, "To port")
            )
        } else {
            "Route".to_string()
        },
        title(SortKey::Hs, "HS"),
        "Description".to_string(),
    ])
    .style(t.header());
    let widths = [
        Constraint::Length(1),
        Constraint::Length(10),
        Constraint::Length(8),
        Constraint::Fill(3),
        Constraint::Fill(3),
        if wide {
            Constraint::Fill(2)
        } else {
            Constraint::Length(7)
        },
        Constraint::Length(6),
        Constraint::Fill(4),
    ];
    let cols = column_widths(body.width, &widths);
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

fn row<'a>(
    r: &'a ShipmentRow,
    as_of: Option<AsOfStatus>,
    t: &Theme,
    wide: bool,
    cols: &[usize],
) -> Row<'a> {
    let w = |i: usize| cols.get(i).copied().unwrap_or(0);
    let (from, to) = if wide {
        (
            r.origin.as_deref().or(r.origin_country.as_deref()),
            r.destination.as_deref().or(r.dest_country.as_deref()),
        )
    } else {
        (
            r.origin_country.as_deref().or(r.origin.as_deref()),
            r.dest_country.as_deref().or(r.destination.as_deref()),
        )
    };
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
        Cell::from(cell(
            Some(&format!("{} → {}", clean(from), clean(to))),
            w(5),
        )),
        Cell::from(cell(r.hs_code.as_deref(), w(6))),
        Cell::from(cell(r.description.as_deref(), w(7))),
    ])
    .style(style)
}
