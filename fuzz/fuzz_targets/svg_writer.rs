//! The SVG writer: arbitrary labels, tooltips and data attributes always give well-formed
//! XML with no script element and no event-handler attribute, and the text survives
//! (less the characters XML forbids, which the writer drops).
#![no_main]

use bordermap::render::svg::Svg;
use bordermap::xml::escape;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(3, '\u{1F}');
    let label = parts.next().unwrap_or_default().to_string();
    let tooltip = parts.next().unwrap_or_default().to_string();
    let id = parts.next().unwrap_or_default().to_string();

    let mut svg = Svg::new();
    svg.group("incidents", &[]);
    svg.group_attrs(&[("data-id", id.clone()), ("class", "incident".into())]);
    svg.title(&tooltip);
    svg.circle(10.0, 10.0, 3.0, &[("fill", "#c00".into())]);
    svg.close();
    svg.text(20.0, 20.0, &label, &[("data-id", id.clone())]);
    let doc = svg.finish(100.0, 100.0);

    let xml = roxmltree::Document::parse(&doc).expect("the writer produced invalid XML");
    for node in xml.descendants() {
        assert!(!node.has_tag_name("script"), "script element in output");
        for a in node.attributes() {
            assert!(!a.name().to_ascii_lowercase().starts_with("on"), "event handler attribute");
        }
    }
    let unescape = |s: &str| {
        roxmltree::Document::parse(&format!("<t>{}</t>", escape(s)))
            .map(|d| d.root_element().text().unwrap_or_default().to_string())
            .unwrap_or_default()
    };
    let texts: Vec<&str> = xml
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    if !label.is_empty() && !unescape(&label).is_empty() {
        assert!(texts.contains(&unescape(&label).as_str()), "label text lost");
    }
    let ids: Vec<&str> = xml
        .descendants()
        .filter_map(|n| n.attribute("data-id"))
        .collect();
    assert!(ids.iter().all(|v| *v == unescape(&id)), "data-id changed");
});
