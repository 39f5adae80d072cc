//! The map's look: fonts, colours and marker shapes, in one place.
//!
//! Event-type colours follow the Okabe–Ito palette (safe for the common colour-vision
//! deficiencies); every type also has its own shape, so colour is never the only cue.
//! Marker area grows linearly with the best fatality estimate above a base area:
//! `r = sqrt(R_MIN² + K² · fatalities_best)`.

use crate::model::EventType;

/// The font family name of the shipped font.
pub const FONT_FAMILY: &str = "DejaVu Sans";

/// Page background.
pub const PAPER: &str = "#ffffff";
/// Main text colour.
pub const INK: &str = "#1a1a1a";
/// Secondary text colour.
pub const INK_SOFT: &str = "#555555";
/// Land outside any mapped country.
pub const LAND_OTHER: &str = "#f1f0ec";
/// Rivers.
pub const WATER_LINE: &str = "#6fa8d6";
/// Lakes and reservoirs.
pub const WATER_FILL: &str = "#c6dff0";
/// The KG–TJ border.
pub const BORDER: &str = "#3a3a3a";
/// Other international boundaries.
pub const BOUNDARY: &str = "#8a8a8a";
/// The disputed-section overlay.
pub const DISPUTED: &str = "#d11a1a";
/// Sections agreed as of the map's date.
pub const AGREED: &str = "#2f7d32";
/// The ring around a marker whose place's country differs from the reference line's side.
pub const SIDE_DISAGREES: &str = "#7b3294";

/// Radius of a marker for zero (or unknown) fatalities, px.
pub const R_MIN: f64 = 5.5;
/// Radius growth constant: `r = sqrt(R_MIN² + K² · fatalities)`.
pub const K: f64 = 2.6;
/// Radius when markers are not sized.
pub const R_FIXED: f64 = 7.0;
/// The largest marker radius, px: a larger figure is drawn at this size (the legend says
/// from which figure), so that no marker covers the map.
pub const R_MAX: f64 = 32.0;

/// An uncertainty circle wider than this (px) is drawn as an outline, not a fill.
pub const BIG_HALO_PX: f64 = 60.0;
/// No circle is drawn larger than this (px), whatever the uncertainty.
pub const MAX_HALO_PX: f64 = 20_000.0;

/// The smallest figure drawn at [`R_MAX`].
///
/// # Examples
/// ```
/// use bordermap::render::style::{marker_radius, size_cap};
/// assert_eq!(marker_radius(size_cap(), true), marker_radius(1_000_000, true));
/// assert!(marker_radius(size_cap() - 1, true) < marker_radius(size_cap(), true));
/// ```
pub fn size_cap() -> u32 {
    ((R_MAX * R_MAX - R_MIN * R_MIN) / (K * K)).ceil() as u32
}

/// The fill of a country by ISO2 and role.
pub fn country_fill(iso2: &str, role: &str) -> &'static str {
    match (iso2, role) {
        ("KG", _) => "#f4e7cf",
        ("TJ", _) => "#e2edd6",
        ("UZ", _) => "#e5e2f0",
        _ => "#e6e6e3",
    }
}

/// The fill of an enclave by the sovereign's ISO2.
pub fn enclave_fill(iso2: &str) -> &'static str {
    match iso2 {
        "TJ" => "#b9d6a2",
        "UZ" => "#c3b9e0",
        "KG" => "#ead0a0",
        _ => "#cccccc",
    }
}

/// The outline of an enclave by the sovereign's ISO2.
pub fn enclave_stroke(iso2: &str) -> &'static str {
    match iso2 {
        "TJ" => "#4c7a2c",
        "UZ" => "#5b4a99",
        _ => "#7a5a20",
    }
}

/// Marker shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Circle.
    Circle,
    /// Square.
    Square,
    /// Upward triangle.
    Triangle,
    /// Downward triangle.
    TriangleDown,
    /// Diamond.
    Diamond,
    /// Five-pointed star.
    Star,
    /// Hexagon.
    Hexagon,
    /// Pentagon.
    Pentagon,
    /// A wide bar.
    Bar,
    /// A plus sign.
    Plus,
}

/// The shape of an event type.
pub fn shape(t: EventType) -> Shape {
    match t {
        EventType::ArmedClash => Shape::Circle,
        EventType::Shelling => Shape::Square,
        EventType::DroneStrike => Shape::Triangle,
        EventType::Incursion => Shape::Diamond,
        EventType::ArsonLooting => Shape::Star,
        EventType::Evacuation => Shape::TriangleDown,
        EventType::Ceasefire => Shape::Hexagon,
        EventType::Agreement => Shape::Pentagon,
        EventType::Blockade => Shape::Bar,
        EventType::Other => Shape::Plus,
    }
}

/// The colour of an event type: [`EventType::colour`], the palette the page and KML share.
pub fn type_colour(t: EventType) -> &'static str {
    t.colour()
}

/// The marker radius for a fatality figure.
///
/// # Examples
/// ```
/// use bordermap::render::style::{marker_radius, R_MIN};
/// assert_eq!(marker_radius(0, true), R_MIN);
/// // area above the base grows linearly with fatalities
/// let a = |f| marker_radius(f, true).powi(2) - R_MIN * R_MIN;
/// assert!((a(100) / a(25) - 4.0).abs() < 1e-9);
/// ```
pub fn marker_radius(fatalities: u32, sized: bool) -> f64 {
    if sized {
        (R_MIN * R_MIN + K * K * f64::from(fatalities))
            .sqrt()
            .min(R_MAX)
    } else {
        R_FIXED
    }
}

/// The colour of a date on a sequential ramp (viridis-like, dark blue → yellow), `t` in 0–1.
pub fn date_colour(t: f64) -> String {
    const STOPS: [(f64, [f64; 3]); 5] = [
        (0.0, [68.0, 1.0, 84.0]),
        (0.25, [59.0, 82.0, 139.0]),
        (0.5, [33.0, 145.0, 140.0]),
        (0.75, [94.0, 201.0, 98.0]),
        (1.0, [253.0, 231.0, 37.0]),
    ];
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let mut c = STOPS[4].1;
    for w in STOPS.windows(2) {
        let ((t0, a), (t1, b)) = (w[0], w[1]);
        if t <= t1 {
            let u = (t - t0) / (t1 - t0);
            c = [
                a[0] + u * (b[0] - a[0]),
                a[1] + u * (b[1] - a[1]),
                a[2] + u * (b[2] - a[2]),
            ];
            break;
        }
    }
    format!(
        "#{:02x}{:02x}{:02x}",
        c[0].round() as u8,
        c[1].round() as u8,
        c[2].round() as u8
    )
}

/// Who made an incident's claims, for colouring by claimant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ClaimantGroup {
    /// Only Kyrgyz claimants.
    KgOnly,
    /// Only Tajik claimants.
    TjOnly,
    /// Both governments (or their media).
    Both,
    /// Only third parties or unattributed reports.
    ThirdParty,
    /// No casualty claims.
    NoClaims,
}

impl ClaimantGroup {
    /// Every group, in legend order.
    pub const ALL: [ClaimantGroup; 5] = [
        ClaimantGroup::KgOnly,
        ClaimantGroup::TjOnly,
        ClaimantGroup::Both,
        ClaimantGroup::ThirdParty,
        ClaimantGroup::NoClaims,
    ];

    /// The colour.
    pub fn colour(self) -> &'static str {
        match self {
            ClaimantGroup::KgOnly => "#d55e00",
            ClaimantGroup::TjOnly => "#009e73",
            ClaimantGroup::Both => "#7a5195",
            ClaimantGroup::ThirdParty => "#0072b2",
            ClaimantGroup::NoClaims => "#bdbdbd",
        }
    }

    /// The legend label.
    pub fn label(self) -> &'static str {
        match self {
            ClaimantGroup::KgOnly => "Claims by Kyrgyz sources only",
            ClaimantGroup::TjOnly => "Claims by Tajik sources only",
            ClaimantGroup::Both => "Claims by both sides",
            ClaimantGroup::ThirdParty => "Third-party or unattributed claims only",
            ClaimantGroup::NoClaims => "No casualty claim",
        }
    }

    /// The stable key written to `data-claimant`.
    pub fn key(self) -> &'static str {
        match self {
            ClaimantGroup::KgOnly => "kg",
            ClaimantGroup::TjOnly => "tj",
            ClaimantGroup::Both => "both",
            ClaimantGroup::ThirdParty => "third_party",
            ClaimantGroup::NoClaims => "none",
        }
    }
}

/// The English name of the countries the base map labels.
pub fn country_name(iso: &str) -> &str {
    match iso {
        "KG" => "Kyrgyzstan",
        "TJ" => "Tajikistan",
        "UZ" => "Uzbekistan",
        "KZ" => "Kazakhstan",
        "CN" => "China",
        "AF" => "Afghanistan",
        "TM" => "Turkmenistan",
        "PK" => "Pakistan",
        other => other,
    }
}
