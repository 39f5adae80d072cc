//! Every word the maps print, in English and Russian, in one table: headings, legend rows,
//! the key, the notes, the subtitle, the scale bar, the north arrow and the timeline; dates
//! and distances written the way each language writes them; and place names in the map's
//! language (the Russian name the reference gazetteer has, else the Latin display name).
//!
//! A string with parts to fill in has numbered holes, `{0}`, `{1}`, filled by [`fill`].
//! Both languages are one [`Text`] each, so a string missing from one does not compile.

use crate::Lang;
use crate::model::{Date, EventType};
use std::collections::HashMap;
use std::sync::OnceLock;

/// The attribution line printed on every map (English; the Russian table has its own).
pub const ATTRIBUTION: &str = "Border: Who's On First / Quattroshapes (LSIB-derived); countries, rivers, lakes: Natural Earth; places: Who's On First / GeoNames; incidents: bordermap from cited reports";
/// The words of the maps in one language.
#[derive(Debug)]
pub struct Text {
    /// The default title.
    pub title: &'static str,
    /// Subtitle: no dates.
    pub no_dates: &'static str,
    /// Subtitle: `{0}` incidents in all, `{1}` mapped.
    pub counts: &'static str,
    /// Subtitle: `{0}` listed under the map.
    pub listed: &'static str,
    /// Subtitle: one record of overall totals.
    pub aggregates_one: &'static str,
    /// Subtitle: `{0}` records of overall totals.
    pub aggregates_many: &'static str,
    /// Subtitle: within `{0}` (a distance) of `{1}` (a place).
    pub within: &'static str,
    /// Subtitle: the sections' status date `{0}`.
    pub sections_as_of: &'static str,
    /// Notes: undated incidents, `{0}` of them: `{1}` (ids).
    pub undated: &'static str,
    /// Notes and id lists: `and {0} more`.
    pub and_more: &'static str,
    /// Notes: the list was cut, `{0}` lines more.
    pub more_lines: &'static str,
    /// Notes: the heading of each reason an incident is not drawn: outside, area, not
    /// placed, totals.
    pub listed_headings: [&'static str; 4],
    /// Notes: `{0}` district and `{0}` region.
    pub district: &'static str,
    /// See [`Text::district`].
    pub region: &'static str,
    /// The attribution line (`{0}` is the attribution).
    pub sources: &'static str,
    /// The attribution.
    pub attribution: &'static str,
    /// Legend title.
    pub legend: &'static str,
    /// Legend: event type, by shape and colour.
    pub type_shape_colour: &'static str,
    /// Legend: event type, by shape.
    pub type_shape: &'static str,
    /// Event types, in the order of [`EventType::ALL`].
    pub types: [&'static str; 10],
    /// Legend: colour by date.
    pub colour_date: &'static str,
    /// Legend: colour by claimant.
    pub colour_claimant: &'static str,
    /// Claimant groups: Kyrgyz only, Tajik only, both, third party, none.
    pub claimants: [&'static str; 5],
    /// Legend: size.
    pub size: &'static str,
    /// Legend: the size rule (`{0}` the cap, `{1}` the fatality rule).
    pub size_rule: &'static str,
    /// The fatality rule.
    pub fatality_rule: &'static str,
    /// Legend: location.
    pub location: &'static str,
    /// Legend: precise halo.
    pub halo: &'static str,
    /// Legend: big halo (`{0}` px).
    pub big_halo: &'static str,
    /// Legend: side disagrees.
    pub side_disagrees: &'static str,
    /// Legend: area-located (`{0}` px cap, `{1}` distance).
    pub area_located: &'static str,
    /// Legend: displaced markers.
    pub displaced: &'static str,
    /// Legend: grid clusters (`{0}` px).
    pub clusters: &'static str,
    /// Legend: count bubbles.
    pub bubbles: &'static str,
    /// Legend: base map.
    pub base_map: &'static str,
    /// Legend: the border.
    pub border: &'static str,
    /// Legend: other boundaries.
    pub other_boundary: &'static str,
    /// Legend: disputed sections (`{0}` date).
    pub disputed: &'static str,
    /// Legend: agreed sections (`{0}` date).
    pub agreed: &'static str,
    /// Legend: enclaves of Tajikistan, Uzbekistan, Kyrgyzstan, another country.
    pub enclaves: [&'static str; 4],
    /// Key heading (`{0}` date).
    pub key: &'static str,
    /// Section statuses: disputed, undelimited, agreed.
    pub statuses: [&'static str; 3],
    /// Locator inset caption.
    pub locator: &'static str,
    /// Timeline heading per day, per week, per 30 days.
    pub timeline: [&'static str; 3],
    /// Timeline maximum (`{0}`) per day, per week, per 30 days.
    pub timeline_max: [&'static str; 3],
    /// Scale bar note.
    pub true_at_centre: &'static str,
    /// North arrow.
    pub north: &'static str,
    /// Kilometres and metres.
    pub km: &'static str,
    /// See [`Text::km`].
    pub m: &'static str,
    /// The decimal separator.
    pub decimal: char,
    /// Graticule hemispheres: N, S, E, W.
    pub hemispheres: [&'static str; 4],
    /// Panel heading: `{0}` period, one incident.
    pub panel_one: &'static str,
    /// Panel heading: `{0}` period, `{1}` incidents.
    pub panel_many: &'static str,
    /// Facet headings: 2021 clashes, Jan–Jun 2022, Jul–Aug 2022, Sep 2022, after.
    pub phases: [&'static str; 5],
    /// Facet: an empty month.
    pub no_incidents: &'static str,
    /// Incident label: `{0}` places, `{1}` incidents.
    pub group_label: &'static str,
    /// Incident label: `{0}`, `{1}` and `{2}` more places.
    pub places_and_more: &'static str,
    /// Country names on the map, by ISO2 (KG, TJ, UZ, KZ, CN, AF, TM, PK).
    pub countries: [&'static str; 8],
    /// Month names, as in a date (`16 September`, `16 сентября`).
    pub months_in_date: [&'static str; 12],
    /// Month names on their own (`September`, `Сентябрь`).
    pub months: [&'static str; 12],
    /// Short month names (`Sep`, `сен`).
    pub months_short: [&'static str; 12],
    /// Dates written with the full month name (Russian) or the short one (English).
    pub full_month_in_dates: bool,
}

/// English.
pub const EN: Text = Text {
    title: "Kyrgyzstan–Tajikistan border incidents",
    no_dates: "no dates",
    counts: "{0} incidents: {1} mapped",
    listed: ", {0} listed under the map",
    aggregates_one: " · 1 record of overall totals",
    aggregates_many: " · {0} records of overall totals",
    within: " · within {0} of {1}",
    sections_as_of: " · border sections: status as of {0}",
    undated: "Not drawn, undated ({0}): {1}.",
    and_more: "and {0} more",
    more_lines: "… and {0} more lines: every incident is in the GeoJSON and on the HTML page.",
    listed_headings: [
        "Outside the map area",
        "Placed only at a district or region (not drawn)",
        "Not placed by the sources (not drawn)",
        "Totals for the whole period, not events (not drawn; do not add to the events)",
    ],
    district: "{0} district",
    region: "{0} region",
    sources: "Sources — {0}. Projection: UTM zone 42N (WGS84). Casualty figures are claims; see each incident's claims and fatality_rule.",
    attribution: ATTRIBUTION,
    legend: "Legend",
    type_shape_colour: "Event type (shape and colour)",
    type_shape: "Event type (shape)",
    types: [
        "Armed clash",
        "Shelling",
        "Drone strike",
        "Incursion",
        "Arson or looting",
        "Blockade",
        "Evacuation",
        "Ceasefire",
        "Agreement",
        "Other",
    ],
    colour_date: "Colour: first day of the incident",
    colour_claimant: "Colour: who made the casualty claims",
    claimants: [
        "Claims by Kyrgyz sources only",
        "Claims by Tajik sources only",
        "Claims by both sides",
        "Third-party or unattributed claims only",
        "No casualty claim",
    ],
    size: "Size: best fatality estimate",
    size_rule: "Marker area = base area + an area ∝ the best fatality estimate (fatalities_best), up to {0}: larger figures are drawn at that size; no figure reported: base area. {1} Claims differ: see each marker's tooltip.",
    fatality_rule: crate::model::FATALITY_RULE,
    location: "Location",
    halo: "Shaded circle: location uncertainty, to scale",
    big_halo: "Dashed circle: a location uncertainty wider than {0} px, to scale (outline only, so as not to hide the map)",
    side_disagrees: "Ringed: the place's own country differs from the side of the reference line, which is not delimited there (see side_agrees)",
    area_located: "Faded marker, dashed outline: located only to a district or region centre; the dashed ring is capped at {0} px (true uncertainty up to {1})",
    displaced: "Several incidents at one place: markers set around the true position (dot), by date",
    clusters: "Number of incidents in a {0}-px grid cell (dense areas are counted, not drawn one by one); colour = most frequent type",
    bubbles: "Number of incidents at one place",
    base_map: "Base map",
    border: "Kyrgyzstan–Tajikistan border (LSIB-derived)",
    other_boundary: "Other international boundary",
    disputed: "Disputed or undelimited section, status as of {0} (numbered; see the key under the map)",
    agreed: "Section agreed by treaty as of {0} (numbered; see the key under the map)",
    enclaves: [
        "Tajik enclave",
        "Uzbek enclave",
        "Kyrgyz enclave",
        "Foreign enclave",
    ],
    key: "Border sections drawn, status as of {0}",
    statuses: ["disputed", "undelimited", "agreed"],
    locator: "Locator (red box = map area)",
    timeline: [
        "Incidents under way per day (an event counts on every day it spans)",
        "Incidents under way per week (an event counts on every week it spans)",
        "Incidents under way per 30 days (an event counts on every 30 days it spans)",
    ],
    timeline_max: [
        "most under way in one day: {0}",
        "most under way in one week: {0}",
        "most under way in one 30 days: {0}",
    ],
    true_at_centre: "true at map centre",
    north: "N (true)",
    km: "km",
    m: "m",
    decimal: '.',
    hemispheres: ["N", "S", "E", "W"],
    panel_one: "{0} · 1 incident",
    panel_many: "{0} · {1} incidents",
    phases: [
        "2021 clashes",
        "January–June 2022",
        "July–August 2022",
        "September 2022 escalation",
        "After September 2022",
    ],
    no_incidents: "No incidents",
    group_label: "{0}: {1} incidents",
    places_and_more: "{0}, {1} and {2} more",
    countries: [
        "Kyrgyzstan",
        "Tajikistan",
        "Uzbekistan",
        "Kazakhstan",
        "China",
        "Afghanistan",
        "Turkmenistan",
        "Pakistan",
    ],
    months_in_date: crate::model::MONTH_NAMES,
    months: crate::model::MONTH_NAMES,
    months_short: [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ],
    full_month_in_dates: false,
};

/// Russian.
pub const RU: Text = Text {
    title: "Инциденты на кыргызско-таджикской границе",
    no_dates: "даты неизвестны",
    counts: "инцидентов: {0}, на карте: {1}",
    listed: ", перечислены под картой: {0}",
    aggregates_one: " · 1 запись с итогами за период",
    aggregates_many: " · записей с итогами за период: {0}",
    within: " · в радиусе {0} от пункта {1}",
    sections_as_of: " · участки границы: статус на {0}",
    undated: "Не показаны, без даты ({0}): {1}.",
    and_more: "и ещё {0}",
    more_lines: "… и ещё строк: {0}; все инциденты есть в GeoJSON и на HTML-странице.",
    listed_headings: [
        "За пределами карты",
        "Известен только район или область (не показаны)",
        "Место не указано в источниках (не показаны)",
        "Итоги за весь период, а не события (не показаны; не суммировать с событиями)",
    ],
    district: "район {0}",
    region: "область {0}",
    sources: "Источники — {0}. Проекция: UTM, зона 42N (WGS84). Число жертв — заявления сторон; см. claims и fatality_rule каждого инцидента.",
    attribution: "Граница: Who's On First / Quattroshapes (на основе LSIB); страны, реки, озёра: Natural Earth; населённые пункты: Who's On First / GeoNames; инциденты: bordermap по цитируемым сообщениям",
    legend: "Условные обозначения",
    type_shape_colour: "Тип события (форма и цвет)",
    type_shape: "Тип события (форма)",
    types: [
        "Вооружённое столкновение",
        "Обстрел",
        "Удар беспилотника",
        "Вторжение",
        "Поджог или мародёрство",
        "Блокада",
        "Эвакуация",
        "Прекращение огня",
        "Соглашение",
        "Другое",
    ],
    colour_date: "Цвет: первый день инцидента",
    colour_claimant: "Цвет: чьи данные о жертвах",
    claimants: [
        "Данные только кыргызских источников",
        "Данные только таджикских источников",
        "Данные обеих сторон",
        "Только данные третьих сторон или без указания источника",
        "Нет данных о жертвах",
    ],
    size: "Размер: наилучшая оценка числа погибших",
    size_rule: "Площадь значка = базовая площадь + площадь ∝ наилучшей оценке числа погибших (fatalities_best), до {0}: бо́льшие числа рисуются этим размером; нет данных: базовая площадь. {1} Данные сторон расходятся: см. подсказку у каждого значка.",
    fatality_rule: "Наилучшая оценка: для каждой стороны — последнее названное число её погибших (при одной дате — сначала данные самой стороны), сложенное по сторонам, если только более позднее сообщение не даёт одно число для обеих; нижняя и верхняя: наименьшая и наибольшая суммы, которые допускают данные, верхняя открыта, если наибольшее число — лишь минимум («200+»); отсутствие данных — неизвестно (null), а не 0.",
    location: "Местоположение",
    halo: "Затенённый круг: неточность местоположения, в масштабе",
    big_halo: "Пунктирный круг: неточность местоположения больше {0} пикс., в масштабе (только контур, чтобы не закрывать карту)",
    side_disagrees: "Кольцо: страна самого пункта не совпадает со стороной опорной линии, которая здесь не делимитирована (см. side_agrees)",
    area_located: "Бледный значок, пунктирный контур: известен только центр района или области; пунктирное кольцо не больше {0} пикс. (истинная неточность до {1})",
    displaced: "Несколько инцидентов в одном месте: значки вокруг истинного положения (точка), по дате",
    clusters: "Число инцидентов в ячейке сетки {0} пикс. (плотные участки подсчитаны, а не нарисованы по одному); цвет — самый частый тип",
    bubbles: "Число инцидентов в одном месте",
    base_map: "Основа карты",
    border: "Граница Кыргызстана и Таджикистана (на основе LSIB)",
    other_boundary: "Другая государственная граница",
    disputed: "Спорный или неделимитированный участок, статус на {0} (номера — см. ключ под картой)",
    agreed: "Участок, согласованный договором, на {0} (номера — см. ключ под картой)",
    enclaves: [
        "Таджикский анклав",
        "Узбекский анклав",
        "Кыргызский анклав",
        "Анклав другой страны",
    ],
    key: "Участки границы на карте, статус на {0}",
    statuses: ["спорный", "неделимитированный", "согласован"],
    locator: "Обзорная карта (красная рамка — район карты)",
    timeline: [
        "Идущие инциденты по дням (событие учитывается в каждый свой день)",
        "Идущие инциденты по неделям (событие учитывается в каждую свою неделю)",
        "Идущие инциденты по 30 дней (событие учитывается в каждом своём 30-дневном периоде)",
    ],
    timeline_max: [
        "наибольшее число за день: {0}",
        "наибольшее число за неделю: {0}",
        "наибольшее число за 30 дней: {0}",
    ],
    true_at_centre: "точно в центре карты",
    north: "С (ист.)",
    km: "км",
    m: "м",
    decimal: ',',
    hemispheres: [" с. ш.", " ю. ш.", " в. д.", " з. д."],
    panel_one: "{0} · 1 инцидент",
    panel_many: "{0} · инцидентов: {1}",
    phases: [
        "Столкновения 2021 года",
        "Январь–июнь 2022",
        "Июль–август 2022",
        "Эскалация сентября 2022",
        "После сентября 2022",
    ],
    no_incidents: "Нет инцидентов",
    group_label: "{0} — инцидентов: {1}",
    places_and_more: "{0}, {1} и ещё {2}",
    countries: [
        "Кыргызстан",
        "Таджикистан",
        "Узбекистан",
        "Казахстан",
        "Китай",
        "Афганистан",
        "Туркменистан",
        "Пакистан",
    ],
    months_in_date: [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ],
    months: [
        "Январь",
        "Февраль",
        "Март",
        "Апрель",
        "Май",
        "Июнь",
        "Июль",
        "Август",
        "Сентябрь",
        "Октябрь",
        "Ноябрь",
        "Декабрь",
    ],
    months_short: [
        "янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек",
    ],
    full_month_in_dates: true,
};

/// The table of a language.
///
/// # Examples
/// ```
/// use bordermap::{Lang, render::text};
/// assert_eq!(text::of(Lang::En).legend, "Legend");
/// assert_eq!(text::of(Lang::Ru).legend, "Условные обозначения");
/// ```
pub fn of(lang: Lang) -> &'static Text {
    match lang {
        Lang::En => &EN,
        Lang::Ru => &RU,
    }
}

/// Fills the holes `{0}`, `{1}`, … of a template with `args`, in order.
///
/// # Examples
/// ```
/// use bordermap::render::text::fill;
/// assert_eq!(fill("{0}: {1} incidents", &["Vorukh", "3"]), "Vorukh: 3 incidents");
/// ```
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut s = template.to_string();
    for (i, a) in args.iter().enumerate() {
        s = s.replace(&format!("{{{i}}}"), a);
    }
    s
}

impl Text {
    /// An event type's name.
    ///
    /// # Examples
    /// ```
    /// use bordermap::{EventType, Lang, render::text};
    /// assert_eq!(text::of(Lang::Ru).event_type(EventType::Shelling), "Обстрел");
    /// ```
    pub fn event_type(&self, t: EventType) -> &'static str {
        let i = EventType::ALL.iter().position(|x| *x == t).unwrap_or(0);
        self.types.get(i).copied().unwrap_or("")
    }

    /// A country's name by ISO2 (the code itself when not in the table).
    ///
    /// # Examples
    /// ```
    /// use bordermap::{Lang, render::text};
    /// assert_eq!(text::of(Lang::Ru).country("TJ"), "Таджикистан");
    /// assert_eq!(text::of(Lang::Ru).country("XX"), "XX");
    /// ```
    pub fn country<'a>(&self, iso: &'a str) -> &'a str {
        match ["KG", "TJ", "UZ", "KZ", "CN", "AF", "TM", "PK"]
            .iter()
            .position(|c| *c == iso)
        {
            Some(i) => self.countries[i],
            None => iso,
        }
    }

    fn month_in_date(&self, m: u32) -> &'static str {
        let i = (m.clamp(1, 12) - 1) as usize;
        if self.full_month_in_dates {
            self.months_in_date[i]
        } else {
            self.months_short[i]
        }
    }

    /// A month's short name (`Sep`, `сен`).
    ///
    /// # Examples
    /// ```
    /// use bordermap::{Lang, render::text};
    /// assert_eq!(text::of(Lang::En).month_short(9), "Sep");
    /// assert_eq!(text::of(Lang::Ru).month_short(9), "сен");
    /// ```
    pub fn month_short(&self, m: u32) -> &'static str {
        self.months_short[(m.clamp(1, 12) - 1) as usize]
    }

    /// A month's name on its own (`September`, `Сентябрь`).
    ///
    /// # Examples
    /// ```
    /// use bordermap::{Lang, render::text};
    /// assert_eq!(text::of(Lang::Ru).month(9), "Сентябрь");
    /// ```
    pub fn month(&self, m: u32) -> &'static str {
        self.months[(m.clamp(1, 12) - 1) as usize]
    }

    /// A day: `16 Sep 2022`, `16 сентября 2022`.
    ///
    /// # Examples
    /// ```
    /// use bordermap::{Date, Lang, render::text};
    /// let d = Date::parse("2022-09-16").unwrap();
    /// assert_eq!(text::of(Lang::En).date(d), "16 Sep 2022");
    /// assert_eq!(text::of(Lang::Ru).date(d), "16 сентября 2022");
    /// ```
    pub fn date(&self, d: Date) -> String {
        format!("{} {} {}", d.day, self.month_in_date(d.month), d.year)
    }

    /// A day and month, for the timeline: `1 Sep`, `1 сен`.
    ///
    /// # Examples
    /// ```
    /// use bordermap::{Date, Lang, render::text};
    /// let d = |s| Date::parse(s).unwrap();
    /// assert_eq!(text::of(Lang::Ru).day_month(d("2022-09-01")), "1 сен");
    /// assert_eq!(text::of(Lang::Ru).day_month(d("2022-05-01")), "1 мая");
    /// ```
    pub fn day_month(&self, d: Date) -> String {
        // May has no shorter form in a Russian date: 1 мая.
        let m = if self.full_month_in_dates && d.month == 5 {
            self.month_in_date(5)
        } else {
            self.month_short(d.month)
        };
        format!("{} {m}", d.day)
    }

    /// A span of days: `14–16 Sep 2022`, `28 апреля – 1 мая 2021`, or one day.
    ///
    /// # Examples
    /// ```
    /// use bordermap::{Date, Lang, render::text};
    /// let d = |s| Date::parse(s).unwrap();
    /// let ru = text::of(Lang::Ru);
    /// assert_eq!(ru.date_range(d("2022-09-14"), d("2022-09-16")), "14–16 сентября 2022");
    /// assert_eq!(ru.date_range(d("2021-04-28"), d("2021-05-01")), "28 апреля – 1 мая 2021");
    /// ```
    pub fn date_range(&self, a: Date, b: Date) -> String {
        if a == b {
            self.date(a)
        } else if a.year == b.year && a.month == b.month {
            format!(
                "{}–{} {} {}",
                a.day,
                b.day,
                self.month_in_date(a.month),
                a.year
            )
        } else if a.year == b.year {
            format!(
                "{} {} – {} {} {}",
                a.day,
                self.month_in_date(a.month),
                b.day,
                self.month_in_date(b.month),
                a.year
            )
        } else {
            format!("{} – {}", self.date(a), self.date(b))
        }
    }

    /// A number with the language's decimal separator.
    ///
    /// # Examples
    /// ```
    /// use bordermap::{Lang, render::text};
    /// assert_eq!(text::of(Lang::Ru).number("2.5"), "2,5");
    /// ```
    pub fn number(&self, s: &str) -> String {
        s.replace('.', &self.decimal.to_string())
    }

    /// A distance: `850 m`, `2.5 km`, `197 km`; `2,5 км` in Russian.
    ///
    /// # Examples
    /// ```
    /// use bordermap::{Lang, render::text};
    /// assert_eq!(text::of(Lang::En).distance(2500.0), "2.5 km");
    /// assert_eq!(text::of(Lang::Ru).distance(2500.0), "2,5 км");
    /// ```
    pub fn distance(&self, m: f64) -> String {
        if m < 1000.0 {
            format!("{} {}", m.round(), self.m)
        } else if m < 10_000.0 {
            format!("{} {}", self.number(&format!("{:.1}", m / 1000.0)), self.km)
        } else {
            format!("{:.0} {}", m / 1000.0, self.km)
        }
    }

    /// A section status's name.
    ///
    /// # Examples
    /// ```
    /// use bordermap::{Lang, border::SectionStatus, render::text};
    /// assert_eq!(text::of(Lang::Ru).status(SectionStatus::Agreed), "согласован");
    /// ```
    pub fn status(&self, s: crate::border::SectionStatus) -> &'static str {
        use crate::border::SectionStatus;
        match s {
            SectionStatus::Disputed => self.statuses[0],
            SectionStatus::Undelimited => self.statuses[1],
            SectionStatus::Agreed => self.statuses[2],
        }
    }

    /// The enclave row of the legend for a sovereign (ISO2).
    ///
    /// # Examples
    /// ```
    /// use bordermap::{Lang, render::text};
    /// assert_eq!(text::of(Lang::En).enclave("UZ"), "Uzbek enclave");
    /// ```
    pub fn enclave(&self, iso: &str) -> &'static str {
        match iso {
            "TJ" => self.enclaves[0],
            "UZ" => self.enclaves[1],
            "KG" => self.enclaves[2],
            _ => self.enclaves[3],
        }
    }
}

/// Russian names of the shipped gazetteer's places (see
/// [`crate::gazetteer::russian_name`]): by id, and by display name where every place of that
/// name has the same Russian name.
struct RussianNames {
    by_id: HashMap<String, String>,
    by_name: HashMap<String, Option<String>>,
}

fn russian_names() -> &'static RussianNames {
    static NAMES: OnceLock<RussianNames> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut by_id = HashMap::new();
        let mut by_name: HashMap<String, Option<String>> = HashMap::new();
        if let Ok(g) = crate::Gazetteer::shipped_shared() {
            for p in g.places() {
                let ru = crate::gazetteer::russian_name(p).map(str::to_string);
                // A name two places bear with different Russian names is not translated.
                by_name
                    .entry(p.name.clone())
                    .and_modify(|e| {
                        if *e != ru {
                            *e = None;
                        }
                    })
                    .or_insert_with(|| ru.clone());
                if let Some(ru) = ru {
                    for id in std::iter::once(&p.id).chain(&p.merged_ids) {
                        by_id.insert(id.clone(), ru.clone());
                    }
                }
            }
        }
        RussianNames { by_id, by_name }
    })
}

/// The name of a place in `lang`: `latin` (its display name) in English; in Russian, the
/// Russian name the reference data has for the gazetteer place `id`, or (with no id) for
/// the places called `latin` when they all agree on it; else `latin` unchanged.
///
/// # Examples
/// ```
/// use bordermap::{Lang, render::text::place_name};
/// assert_eq!(place_name(Lang::Ru, "wof:890420413", "Vorukh"), "Ворух");
/// assert_eq!(place_name(Lang::Ru, "", "Vorukh"), "Ворух");
/// assert_eq!(place_name(Lang::En, "wof:890420413", "Vorukh"), "Vorukh");
/// assert_eq!(place_name(Lang::Ru, "", "Somewhere"), "Somewhere");
/// ```
pub fn place_name(lang: Lang, id: &str, latin: &str) -> String {
    match lang {
        Lang::En => latin.to_string(),
        Lang::Ru => {
            let n = russian_names();
            n.by_id
                .get(id)
                .or_else(|| n.by_name.get(latin).and_then(Option::as_ref))
                .cloned()
                .unwrap_or_else(|| latin.to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_fill_the_same_holes() {
        let pairs = [
            (EN.counts, RU.counts),
            (EN.within, RU.within),
            (EN.undated, RU.undated),
            (EN.size_rule, RU.size_rule),
            (EN.area_located, RU.area_located),
            (EN.group_label, RU.group_label),
            (EN.places_and_more, RU.places_and_more),
            (EN.panel_many, RU.panel_many),
            (EN.sources, RU.sources),
        ];
        for (en, ru) in pairs {
            for hole in ["{0}", "{1}", "{2}"] {
                assert_eq!(en.contains(hole), ru.contains(hole), "{en} / {ru}");
            }
        }
    }

    #[test]
    fn english_matches_the_model_names() {
        for t in EventType::ALL {
            assert_eq!(EN.event_type(t), t.label());
        }
    }
}
