//! Styles. With NO_COLOR set, no colours at all: bold, reverse, underline and dim only.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    color: bool,
}

impl Theme {
    pub fn new(color: bool) -> Self {
        Theme { color }
    }

    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    pub fn bold(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn header(&self) -> Style {
        self.bold().add_modifier(Modifier::UNDERLINED)
    }

    pub fn tab_active(&self) -> Style {
        self.bold().add_modifier(Modifier::REVERSED)
    }

    /// The label of the line that has the focus (typing goes there).
    pub fn focus(&self) -> Style {
        let s = self.bold().add_modifier(Modifier::REVERSED);
        if self.color {
            s.fg(Color::Yellow)
        } else {
            s
        }
    }

    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    /// Matched characters of a search result.
    pub fn matched(&self) -> Style {
        let s = self.bold().add_modifier(Modifier::UNDERLINED);
        if self.color {
            s.fg(Color::Yellow)
        } else {
            s
        }
    }

    pub fn dim(&self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }

    pub fn key(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn notice(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    /// Synthetic (demo) records.
    pub fn synthetic(&self) -> Style {
        self.fg(Color::Magenta).add_modifier(Modifier::ITALIC)
    }

    /// The list / kind badge of a search result.
    pub fn badge(&self, badge: &str) -> Style {
        let c = match badge {
            "PARTY" => Color::Cyan,
            "ASSIGNEE" => Color::Green,
            "DPL" => Color::Yellow,
            "CMIC" | "NS-CMIC" => Color::Magenta,
            _ => Color::Red,
        };
        self.fg(c).add_modifier(Modifier::BOLD)
    }

    pub fn link(&self) -> Style {
        self.fg(Color::Blue)
    }
}
