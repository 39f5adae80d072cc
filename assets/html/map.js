/* bordermap — the offline interactive incident map.
 *
 * Plain JavaScript, no dependencies, no network. The page embeds two JSON blocks written by
 * `bordermap html`: the incidents as GeoJSON (#bm-incidents) and a view model (#bm-model)
 * with each incident's position in world units (UTM zone 42N grid metres / unit_m, from the
 * map area's top-left corner), the disputed sections with their status histories, the
 * gazetteer places in the map for the search box, and the place labels, best first.
 *
 * Safety: every string from the data reaches the DOM as text (textContent, text nodes, or
 * setAttribute of attributes that are not URLs). Links are made only from http: and https:
 * URLs, by link() below, with rel="noopener noreferrer".
 */
(function () {
  'use strict';

  // ---------------------------------------------------------------- DOM helpers
  const SVGNS = 'http://www.w3.org/2000/svg';
  const $ = (id) => document.getElementById(id);

  /** An HTML element. `props` keys are fixed names in this file, never data; URL attributes
   *  are refused here (links are made by link()). Children are nodes or text. */
  function h(tag, props, ...children) {
    const e = document.createElement(tag);
    for (const k in props || {}) {
      const v = props[k];
      if (v == null || v === false) continue;
      if (k === 'href' || k === 'src' || k === 'action' || k.startsWith('on')) {
        throw new Error('h(): ' + k + ' is not allowed');
      }
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = String(v);
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children) {
      if (c == null || c === false) continue;
      e.append(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    }
    return e;
  }

  /** An SVG element with attributes (fixed names; values are numbers or fixed strings). */
  function s(tag, attrs) {
    const e = document.createElementNS(SVGNS, tag);
    for (const k in attrs || {}) e.setAttribute(k, String(attrs[k]));
    return e;
  }

  /** A link for an http(s) URL; anything else is shown as text, never as a link. */
  function link(url, text) {
    let u = null;
    try {
      u = new URL(String(url));
    } catch (e) {
      u = null;
    }
    if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) {
      return h('span', { class: 'not-a-link', title: 'not a web address; shown as text' }, String(url));
    }
    const a = document.createElement('a');
    a.setAttribute('href', u.href);
    a.setAttribute('target', '_blank');
    a.setAttribute('rel', 'noopener noreferrer');
    a.textContent = text != null ? String(text) : shortUrl(u);
    return a;
  }

  function shortUrl(u) {
    const t = u.host + u.pathname + u.search;
    return t.length > 64 ? t.slice(0, 61) + '…' : t;
  }

  function clear(e) {
    while (e.firstChild) e.removeChild(e.firstChild);
  }

  const clamp = (x, a, b) => Math.max(a, Math.min(b, x));

  /** A property as display text. */
  function str(v) {
    if (v == null) return '';
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return JSON.stringify(v);
  }

  // ---------------------------------------------------------------- data
  function readJson(id) {
    return JSON.parse($(id).textContent);
  }
  const FC = readJson('bm-incidents');
  const M = readJson('bm-model');
  const FEATURES = Array.isArray(FC.features) ? FC.features : [];
  const INC = M.incidents;
  const W = M.world;
  const ST = M.style;
  const TYPES = new Map(M.types.map((t) => [t.key, t]));
  const props = (i) => (FEATURES[i] && FEATURES[i].properties) || {};
  const fid = (i) => str(FEATURES[i] && FEATURES[i].id);
  const located = [];
  INC.forEach((v, i) => {
    if (v.xy) located.push(i);
  });

  // ---------------------------------------------------------------- language
  /* The page's own words, English and Russian, in this one table; the words it shares with
   * the static maps (months, units, statuses, countries, attribution) come from bordermap's
   * table in the model (M.words). Elements of page.html carry data-i18n (their text) or
   * data-i18n-<attribute> keys into it. */
  const I18N = {
    en: {
      find_place: 'Find a place',
      search_placeholder: 'Find a place — Vorukh, Ворух, Ak-Sai…',
      zoom_in: 'Zoom in (+)',
      zoom_out: 'Zoom out (−)',
      zoom_reset: 'Whole border region',
      play: 'Play through time',
      pause: 'Pause',
      time_window: 'Time window',
      cumulative: 'Cumulative',
      window7: '7-day window',
      window30: '30-day window',
      of: 'of',
      located_shown: 'located incidents shown',
      event_type: 'Event type',
      all: 'all',
      none: 'none',
      side: 'Side of the border',
      claims_by: 'Casualty claims made by',
      disputed_sections: 'Disputed border sections',
      show_overlay: 'Show the overlay',
      status_as_of: 'Status as of',
      follow_slider: 'follow the time slider',
      not_on_map: 'Not on the map',
      about_map: 'About this map',
      back: '← All incidents',
      language: 'Language',
      not_computed: 'Not computed',
      claimants: { KG: 'Kyrgyz sources', TJ: 'Tajik sources', third_party: 'Third parties', unattributed: 'Unattributed', other: 'Other claimants', none: 'No casualty claim' },
      size_head: 'Marker size: best fatality estimate',
      location_head: 'Location',
      halo: 'Shaded circle: location uncertainty, to scale',
      area: 'Faded marker, dashed outline: located only to a district or region centre; the ring is capped at {0} px (the true radius is in the panel)',
      displaced: 'Several incidents at one place: markers set around the true position (dot)',
      bubble: 'More than {0} in one spot: a count; click it for the list',
      base_head: 'Base map',
      border: 'Kyrgyzstan–Tajikistan border (LSIB-derived)',
      boundary: 'Other international boundary',
      disputed: 'Disputed or undelimited section (status as of the chosen date)',
      agreed: 'Section agreed as of the chosen date',
      enclave_tj: 'Tajik enclave',
      enclave_uz: 'Uzbek enclave',
      water: 'River, lake or reservoir',
      incident_one: '1 incident',
      incidents_n: '{0} incidents',
      offline: 'offline map · UTM zone 42N',
      projection: 'Projection: UTM zone 42N (WGS84), grid north up',
      about: 'Every casualty figure is a claim, shown with its claimant and source; Kyrgyz and Tajik figures are never merged. Markers are placed by bordermap’s offline geocoder; the shaded circle is the stated uncertainty. Search distances are approximate (≈). This page makes no network requests: the base map is drawn from bordermap’s own layers in UTM zone 42N. The address bar keeps the view, filters and date, so a link restores them. Sources — {0}.',
      no_dates: 'no dates',
      undated: 'undated',
      up_to: 'Up to {0}',
      without_location: '{0} without a location',
      outside_area: '{0} outside the mapped area',
      hidden_by_time: '{0} hidden by the time slider',
      why_outside: 'outside the mapped area',
      why_unlocated: 'no location',
      as_of: '{0} as of {1}',
      approximate: ' (extent approximate)',
      no_such_place: 'No place of that name in the map area.',
      d_location: 'Location',
      d_as_reported: 'As reported',
      d_placed_at: 'Placed at',
      d_precision: 'Precision',
      d_uncertainty: 'Uncertainty',
      d_coordinates: 'Coordinates',
      d_geocoding: 'Geocoding',
      d_why: 'Why',
      d_border: 'Border',
      d_administered: 'Administered by',
      d_nearest_section: 'Nearest section',
      d_disagree: 'Where the sources disagree',
      d_allegations: 'Allegations (attributed, not adopted)',
      d_rule: 'How the estimate is derived',
      d_claims: 'Casualty claims ({0})',
      d_no_claims: 'No casualty claim recorded.',
      d_estimate: 'Derived fatality estimate: ',
      d_no_figure: 'Fatalities: no figure reported.',
      d_sources: 'Sources',
      d_no_source: 'No source listed.',
      d_actors: 'Actors',
      d_notes: 'Notes',
      d_all: 'All properties',
      precision: { 1: 'the place itself', 2: 'near the place, or a small area', 3: 'a district or region only' },
      unknown: 'unknown',
      not_located: 'not located',
      radius: '± {0} (radius)',
      lat_lon: '{0}, {1} (lat, lon)',
      from_border: '{0} from the KG–TJ border',
      on_side: ', on the {0} side',
      nearest_settlement: ' (nearest settlement: {0})'
    },
    ru: {
      find_place: 'Найти место',
      search_placeholder: 'Найти место — Ворух, Vorukh, Ак-Сай…',
      zoom_in: 'Приблизить (+)',
      zoom_out: 'Отдалить (−)',
      zoom_reset: 'Весь приграничный район',
      play: 'Проиграть во времени',
      pause: 'Пауза',
      time_window: 'Окно времени',
      cumulative: 'Нарастающим итогом',
      window7: 'Окно 7 дней',
      window30: 'Окно 30 дней',
      of: 'из',
      located_shown: 'инцидентов с местом на карте показаны',
      event_type: 'Тип события',
      all: 'все',
      none: 'ни одного',
      side: 'Сторона границы',
      claims_by: 'Чьи данные о жертвах',
      disputed_sections: 'Спорные участки границы',
      show_overlay: 'Показать участки',
      status_as_of: 'Статус на',
      follow_slider: 'следовать за шкалой времени',
      not_on_map: 'Не на карте',
      about_map: 'Об этой карте',
      back: '← Все инциденты',
      language: 'Язык',
      not_computed: 'Не определено',
      claimants: { KG: 'Кыргызские источники', TJ: 'Таджикские источники', third_party: 'Третьи стороны', unattributed: 'Без указания источника', other: 'Другие', none: 'Нет данных о жертвах' },
      size_head: 'Размер значка: наилучшая оценка числа погибших',
      location_head: 'Местоположение',
      halo: 'Затенённый круг: неточность местоположения, в масштабе',
      area: 'Бледный значок, пунктирный контур: известен только центр района или области; кольцо не больше {0} пикс. (истинный радиус — в панели)',
      displaced: 'Несколько инцидентов в одном месте: значки вокруг истинного положения (точка)',
      bubble: 'Больше {0} в одной точке: число; нажмите, чтобы увидеть список',
      base_head: 'Основа карты',
      border: 'Граница Кыргызстана и Таджикистана (на основе LSIB)',
      boundary: 'Другая государственная граница',
      disputed: 'Спорный или неделимитированный участок (статус на выбранную дату)',
      agreed: 'Участок, согласованный на выбранную дату',
      enclave_tj: 'Таджикский анклав',
      enclave_uz: 'Узбекский анклав',
      water: 'Река, озеро или водохранилище',
      incident_one: '1 инцидент',
      incidents_n: 'инцидентов: {0}',
      offline: 'офлайн-карта · UTM, зона 42N',
      projection: 'Проекция: UTM, зона 42N (WGS84), север сетки вверху',
      about: 'Каждое число жертв — заявление, показанное с его автором и источником; кыргызские и таджикские данные никогда не объединяются. Значки расставлены офлайн-геокодером bordermap; затенённый круг — заявленная неточность. Расстояния поиска приблизительны (≈). Страница не делает сетевых запросов: основа карты нарисована из собственных слоёв bordermap в UTM, зона 42N. Адресная строка хранит вид, фильтры и дату, так что ссылка их восстанавливает. Источники — {0}.',
      no_dates: 'даты неизвестны',
      undated: 'без даты',
      up_to: 'По {0}',
      without_location: 'без места: {0}',
      outside_area: 'за пределами карты: {0}',
      hidden_by_time: 'скрыты шкалой времени: {0}',
      why_outside: 'за пределами карты',
      why_unlocated: 'место неизвестно',
      as_of: '{0} на {1}',
      approximate: ' (границы участка приблизительны)',
      no_such_place: 'В районе карты нет места с таким названием.',
      d_location: 'Местоположение',
      d_as_reported: 'Как в источнике',
      d_placed_at: 'Привязано к',
      d_precision: 'Точность',
      d_uncertainty: 'Неточность',
      d_coordinates: 'Координаты',
      d_geocoding: 'Геокод',
      d_why: 'Почему',
      d_border: 'Граница',
      d_administered: 'Под управлением',
      d_nearest_section: 'Ближайший участок',
      d_disagree: 'В чём источники расходятся',
      d_allegations: 'Обвинения (с указанием автора, не приняты)',
      d_rule: 'Как получена оценка',
      d_claims: 'Данные о жертвах ({0})',
      d_no_claims: 'Данных о жертвах нет.',
      d_estimate: 'Оценка числа погибших: ',
      d_no_figure: 'Погибшие: данных нет.',
      d_sources: 'Источники',
      d_no_source: 'Источник не указан.',
      d_actors: 'Участники',
      d_notes: 'Примечания',
      d_all: 'Все свойства',
      precision: { 1: 'сам пункт', 2: 'рядом с пунктом или небольшой район', 3: 'только район или область' },
      unknown: 'неизвестно',
      not_located: 'место не найдено',
      radius: '± {0} (радиус)',
      lat_lon: '{0}, {1} (широта, долгота)',
      from_border: '{0} от границы Кыргызстана и Таджикистана',
      on_side: ', на стороне: {0}',
      nearest_settlement: ' (ближайший населённый пункт: {0})',
      side_note_ru: 'Пункт по другую сторону опорной линии (на её стороне: {0}){1}. Там, где граница не делимитирована, опорная линия — не граница.'
    }
  };
  let LANG = 'en';
  /** A word of the page in the current language (English when missing), holes filled. */
  function tr(key, ...args) {
    const v = I18N[LANG][key] ?? I18N.en[key];
    return typeof v === 'string' ? v.replace(/\{(\d)\}/g, (m, d) => String(args[Number(d)])) : v;
  }
  const words = () => M.words[LANG] || M.words.en;
  const typeLabel = (t) => (LANG === 'ru' && t.label_ru ? t.label_ru : t.label);
  const labelText = (l) => (LANG === 'ru' && l.ru ? l.ru : l.text);
  const placeName = (p) => (LANG === 'ru' && p.ru ? p.ru : p.n);

  // ---------------------------------------------------------------- dates
  const DAY_MS = 86400000;
  const dayToIso = (d) => new Date(d * DAY_MS).toISOString().slice(0, 10);
  function isoToDay(t) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(t));
    if (!m) return null;
    const d = Math.round(Date.UTC(+m[1], +m[2] - 1, +m[3]) / DAY_MS);
    return Number.isFinite(d) && dayToIso(d) === t ? d : null;
  }
  function longDate(d) {
    const x = new Date(d * DAY_MS);
    return x.getUTCDate() + ' ' + words().months_in_date[x.getUTCMonth()] + ' ' + x.getUTCFullYear();
  }
  // Where the reference line and the administration disagree, said in words.
  const ADJ = { KG: 'Kyrgyz', TJ: 'Tajik', UZ: 'Uzbek' };
  function sideNote(p) {
    if (LANG === 'ru') {
      const st = str(p.nearest_section_status);
      return tr('side_note_ru', COUNTRY[str(p.border_side)] || str(p.border_side), st ? '; участок: ' + (words().statuses[st] || st) : '');
    }
    const admin = str(p.admin_country);
    const kind = ['village', 'town'].includes(str(p.geo_kind)) ? str(p.geo_kind) : (p.nearest_place ? 'settlement' : 'place');
    const status = str(p.nearest_section_status);
    return (ADJ[admin] || admin) + ' ' + kind + ' beyond the reference line (on its ' + (ADJ[str(p.border_side)] || str(p.border_side)) + ' side)' + (status ? '; section ' + status : '') + '. Where the border is undelimited, the reference line is not the border.';
  }
  function dateRange(a, b) {
    if (a == null) return tr('undated');
    if (a === b) return longDate(a);
    const x = new Date(a * DAY_MS);
    const y = new Date(b * DAY_MS);
    if (x.getUTCFullYear() === y.getUTCFullYear()) {
      if (x.getUTCMonth() === y.getUTCMonth()) {
        return x.getUTCDate() + '–' + longDate(b);
      }
      return x.getUTCDate() + ' ' + words().months_in_date[x.getUTCMonth()] + ' – ' + longDate(b);
    }
    return longDate(a) + ' – ' + longDate(b);
  }
  const FIRST = M.days[0];
  const LAST = M.days[1];
  const HAS_DAYS = FIRST != null && LAST != null;

  // ---------------------------------------------------------------- names and labels
  /** Folds case, diacritics and punctuation (hyphens, apostrophes, spaces), keeping the
   *  script: `Ak-Sai` → `aksai`, `Ак-Сай` → `аксай` (as bordermap's own `fold`). */
  function fold(t) {
    return String(t).normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
  }
  const COUNTRY = new Proxy({}, { get: (o, k) => (k === 'unknown' ? tr('not_computed') : words().countries[k]) });
  const CLAIMANT = new Proxy({}, { get: (o, k) => tr('claimants')[k] });
  const PRECISION = new Proxy({}, { get: (o, k) => tr('precision')[k] });
  const typeOf = (i) => TYPES.get(INC[i].t) || TYPES.get('other');
  function titleOf(i) {
    const t = str(props(i).title).trim();
    return t || fid(i) || 'Incident ' + (i + 1);
  }
  function km(m) {
    const w = words();
    if (m < 1000) return Math.round(m) + ' ' + w.m;
    if (m < 20000) return (m / 1000).toFixed(1).replace('.', w.decimal) + ' ' + w.km;
    return Math.round(m / 1000) + ' ' + w.km;
  }
  /** A marker outline: the type's shape (radius 100 around the origin) scaled to r. */
  const shapeCache = new Map();
  function shapePath(t, r) {
    const key = t.key + '|' + r;
    if (!shapeCache.has(key)) {
      shapeCache.set(key, t.shape.replace(/-?\d+(?:\.\d+)?/g, (n) => (+n * r / 100).toFixed(2)));
    }
    return shapeCache.get(key);
  }
  function symbol(t, r, extraClass) {
    const size = Math.ceil(r * 1.5 + 3) * 2;
    const svg = s('svg', { width: size, height: size, viewBox: [-size / 2, -size / 2, size, size].join(' '), class: 'sym' + (extraClass ? ' ' + extraClass : ''), 'aria-hidden': 'true' });
    svg.append(s('path', { d: shapePath(t, r), fill: t.colour }));
    return svg;
  }

  // ---------------------------------------------------------------- state
  const present = (f) => {
    const set = new Set();
    INC.forEach((v) => f(v).forEach((k) => set.add(k)));
    return set;
  };
  const ALL_TYPES = M.types.map((t) => t.key).filter((k) => INC.some((v) => v.t === k));
  const ALL_SIDES = [...present((v) => [v.side])].sort();
  const ALL_CLAIMANTS = ['KG', 'TJ', 'third_party', 'unattributed', 'other', 'none'].filter((k) =>
    present((v) => v.cl).has(k));
  const state = {
    types: new Set(ALL_TYPES),
    sides: new Set(ALL_SIDES),
    claimants: new Set(ALL_CLAIMANTS),
    t: HAS_DAYS ? LAST : 0,
    mode: 'cum',
    disputed: true,
    follow: true,
    asof: HAS_DAYS ? LAST : Math.floor(Date.now() / DAY_MS),
    sel: null,
    place: null
  };

  function passesFilters(i) {
    const v = INC[i];
    return state.types.has(v.t) && state.sides.has(v.side) && v.cl.some((c) => state.claimants.has(c));
  }
  function passesTime(i) {
    if (!HAS_DAYS) return true;
    const v = INC[i];
    // An undated incident has no place on the time slider: it is always shown, and listed apart.
    if (v.sd == null) return true;
    if (v.sd > state.t) return false;
    return state.mode === 'cum' || v.ed >= state.t - Number(state.mode) + 1;
  }
  const visible = (i) => INC[i].xy != null && passesFilters(i) && passesTime(i);

  // ---------------------------------------------------------------- view (pan and zoom)
  const mapwrap = $('mapwrap');
  const mapEl = $('map');
  const worldEl = $('world');
  let vw = 0;
  let vh = 0;
  const view = { cx: W.w / 2, cy: W.h / 2, s: 0.05 };
  const toScreen = (x, y) => [(x - view.cx) * view.s + vw / 2, (y - view.cy) * view.s + vh / 2];
  const toWorld = (sx, sy) => [(sx - vw / 2) / view.s + view.cx, (sy - vh / 2) / view.s + view.cy];

  /** The UTM point scale factor at world x: k = k0 (1 + q²/2R² + q⁴/24R⁴), q = (E − E_false)/k0,
   *  with R the mean radius of curvature at the map's latitude (Snyder, Map Projections — A
   *  Working Manual, §8). */
  function kAt(x) {
    const q = (W.e0 + x * W.unit_m - W.false_easting) / W.k0;
    const r2 = W.r_m * W.r_m;
    return W.k0 * (1 + (q * q) / (2 * r2) + (q * q * q * q) / (24 * r2 * r2));
  }
  /** Ground metres per screen pixel at the view centre. */
  const groundMpp = () => W.unit_m / view.s / kAt(view.cx);
  const sMin = () => Math.min(vw / W.w, vh / W.h) * 0.9;
  const sMax = () => W.unit_m / 3;
  function clampView() {
    view.s = clamp(view.s, sMin(), sMax());
    view.cx = clamp(view.cx, 0, W.w);
    view.cy = clamp(view.cy, 0, W.h);
  }
  function fitBox(b, pad) {
    const w = Math.max(1, b[2] - b[0]);
    const hh = Math.max(1, b[3] - b[1]);
    view.s = Math.min((vw - 2 * pad) / w, (vh - 2 * pad) / hh);
    view.cx = (b[0] + b[2]) / 2;
    view.cy = (b[1] + b[3]) / 2;
    clampView();
  }
  function zoomAt(factor, sx, sy) {
    const [wx, wy] = toWorld(sx, sy);
    view.s = clamp(view.s * factor, sMin(), sMax());
    view.cx = wx - (sx - vw / 2) / view.s;
    view.cy = wy - (sy - vh / 2) / view.s;
    clampView();
    schedule();
  }
  function panBy(dx, dy) {
    view.cx -= dx / view.s;
    view.cy -= dy / view.s;
    clampView();
    schedule();
  }
  // Dragging a heavy map (thousands of markers) moves the drawn picture as one layer and
  // lays it out again when the drag ends; a light map is redrawn on every frame.
  const shift = { on: false, x: 0, y: 0 };
  let heavy = false;
  function dragPan(dx, dy) {
    if (!heavy && !shift.on) {
      panBy(dx, dy);
      return;
    }
    const cx = view.cx;
    const cy = view.cy;
    view.cx -= dx / view.s;
    view.cy -= dy / view.s;
    clampView();
    shift.on = true;
    shift.x -= (view.cx - cx) * view.s;
    shift.y -= (view.cy - cy) * view.s;
    mapEl.style.transform = 'translate(' + shift.x.toFixed(1) + 'px,' + shift.y.toFixed(1) + 'px)';
  }
  function endShift() {
    if (shift.on) schedule();
  }

  // ---------------------------------------------------------------- drawing
  const G = {
    halos: $('halos'),
    areaHalos: $('area-halos'),
    leaders: $('leaders'),
    dots: $('place-dots'),
    labels: $('labels'),
    markers: $('markers'),
    bubbles: $('bubbles'),
    pin: $('pin')
  };
  let frameRequest = 0;
  function schedule() {
    if (!frameRequest) frameRequest = requestAnimationFrame(render);
  }

  // Markers and precise-location halos are made once; render() moves and shows them.
  const markerEls = new Array(INC.length).fill(null);
  const haloEls = new Array(INC.length).fill(null);
  // Undated incidents (sd null) sort after every dated one.
  const dayKey = (i) => (INC[i].sd == null ? Infinity : INC[i].sd);
  const drawOrder = located.slice().sort((a, b) => INC[b].r - INC[a].r || dayKey(a) - dayKey(b) || (fid(a) < fid(b) ? -1 : 1));
  const byDate = located.slice().sort((a, b) => dayKey(a) - dayKey(b) || (fid(a) < fid(b) ? -1 : fid(a) > fid(b) ? 1 : a - b));
  for (const i of drawOrder) {
    const v = INC[i];
    const t = typeOf(i);
    const g = s('g', { class: 'inc' + (v.p >= 3 ? ' area' : ''), 'data-i': i, tabindex: 0, role: 'button', display: 'none' });
    g.setAttribute('aria-label', titleOf(i) + ', ' + dateRange(v.sd, v.ed));
    g.append(s('path', { class: 'sel-ring', d: 'M0 0' }));
    g.append(s('path', { class: 'shape', d: shapePath(t, v.r), fill: t.colour }));
    G.markers.append(g);
    markerEls[i] = g;
    if (v.p < 3 && v.u > 0) {
      const c = s('circle', {
        class: 'halo',
        cx: v.xy[0],
        cy: v.xy[1],
        r: (v.u * kAt(v.xy[0])) / W.unit_m,
        fill: t.colour,
        stroke: t.colour,
        display: 'none'
      });
      G.halos.append(c);
      haloEls[i] = c;
    }
  }
  function show(e, on) {
    const want = on ? 'inline' : 'none';
    if (e.getAttribute('display') !== want) e.setAttribute('display', want);
  }

  const areaHaloPool = [];
  function drawIncidents(obstacles) {
    clear(G.leaders);
    clear(G.bubbles);
    let usedHalos = 0;
    const margin = 60;
    const cell = ST.group_px;
    const grid = new Map();
    const groups = [];
    const on = new Set();
    for (const i of byDate) {
      const vis = visible(i);
      if (haloEls[i]) show(haloEls[i], vis);
      if (!vis) continue;
      const [x, y] = toScreen(INC[i].xy[0], INC[i].xy[1]);
      if (x < -margin || y < -margin || x > vw + margin || y > vh + margin) continue;
      const gx = Math.floor(x / cell);
      const gy = Math.floor(y / cell);
      let found = null;
      for (let dx = -1; dx <= 1 && !found; dx++) {
        for (let dy = -1; dy <= 1 && !found; dy++) {
          for (const g of grid.get(gx + dx + ',' + (gy + dy)) || []) {
            if (Math.hypot(g.x - x, g.y - y) < cell) {
              found = g;
              break;
            }
          }
        }
      }
      if (found) {
        found.members.push(i);
      } else {
        const g = { x, y, members: [i] };
        groups.push(g);
        const key = gx + ',' + gy;
        if (!grid.has(key)) grid.set(key, []);
        grid.get(key).push(g);
      }
    }
    // Area-level locations: a dashed ring, capped as on the static map.
    const seen = new Set();
    for (const g of groups) {
      for (const i of g.members) {
        const v = INC[i];
        if (v.p < 3) continue;
        const [x, y] = toScreen(v.xy[0], v.xy[1]);
        const r = Math.min((v.u * kAt(v.xy[0]) * view.s) / W.unit_m, ST.halo_cap_px);
        const key = Math.round(x) + ',' + Math.round(y) + ',' + Math.round(r);
        if (seen.has(key) || r < 1) continue;
        seen.add(key);
        let c = areaHaloPool[usedHalos];
        if (!c) {
          c = s('circle', { class: 'area-halo' });
          areaHaloPool.push(c);
          G.areaHalos.append(c);
        }
        c.setAttribute('cx', x.toFixed(1));
        c.setAttribute('cy', y.toFixed(1));
        c.setAttribute('r', r.toFixed(1));
        show(c, true);
        usedHalos++;
      }
    }
    for (const g of groups) {
      const n = g.members.length;
      if (n === 1) {
        const i = g.members[0];
        place(i, g.x, g.y);
        on.add(i);
        obstacles.add(box(g.x, g.y, INC[i].r * 1.45 + 1));
      } else if (n <= ST.max_ring) {
        const rmax = Math.max(...g.members.map((i) => INC[i].r));
        const ring = Math.max(rmax + 5, (n * (2 * rmax * 1.05 + 2)) / (2 * Math.PI));
        g.members.forEach((i, k) => {
          const a = -Math.PI / 2 + (2 * Math.PI * k) / n;
          const [tx, ty] = toScreen(INC[i].xy[0], INC[i].xy[1]);
          const x = g.x + ring * Math.cos(a);
          const y = g.y + ring * Math.sin(a);
          G.leaders.append(s('line', { x1: tx.toFixed(1), y1: ty.toFixed(1), x2: x.toFixed(1), y2: y.toFixed(1) }));
          G.leaders.append(s('circle', { class: 'true-pos', cx: tx.toFixed(1), cy: ty.toFixed(1), r: 2 }));
          place(i, x, y);
          on.add(i);
          obstacles.add(box(x, y, INC[i].r * 1.45 + 1));
        });
        obstacles.add(box(g.x, g.y, 3));
      } else {
        const r = 11 + 2.2 * Math.sqrt(n);
        const b = s('g', { class: 'bubble', tabindex: 0, role: 'button', transform: 'translate(' + g.x.toFixed(1) + ' ' + g.y.toFixed(1) + ')' });
        b.setAttribute('aria-label', n + ' incidents here');
        b.append(s('circle', { r: r.toFixed(1) }));
        const tx = s('text', { 'text-anchor': 'middle', dy: '0.35em' });
        tx.textContent = String(n);
        b.append(tx);
        b.bmMembers = g.members.slice();
        G.bubbles.append(b);
        obstacles.add(box(g.x, g.y, r + 1));
      }
    }
    for (const i of located) show(markerEls[i], on.has(i));
    for (let k = usedHalos; k < areaHaloPool.length; k++) show(areaHaloPool[k], false);
  }
  function place(i, x, y) {
    markerEls[i].setAttribute('transform', 'translate(' + x.toFixed(1) + ' ' + y.toFixed(1) + ')');
    const sel = state.sel === i;
    markerEls[i].classList.toggle('selected', sel);
    if (sel) markerEls[i].firstChild.setAttribute('d', circlePath(INC[i].r * 1.45 + 5));
  }
  function circlePath(r) {
    return 'M' + -r + ' 0a' + r + ' ' + r + ' 0 1 0 ' + 2 * r + ' 0a' + r + ' ' + r + ' 0 1 0 ' + -2 * r + ' 0Z';
  }
  const box = (x, y, r) => ({ x0: x - r, y0: y - r, x1: x + r, y1: y + r });
  const hits = (a, b) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
  /** Screen boxes on a 64-px grid, so that an overlap test looks at its neighbours only. */
  class BoxIndex {
    constructor() {
      this.cells = new Map();
    }
    each(b, f) {
      for (let cx = Math.floor(b.x0 / 64); cx <= Math.floor(b.x1 / 64); cx++) {
        for (let cy = Math.floor(b.y0 / 64); cy <= Math.floor(b.y1 / 64); cy++) {
          if (f(cx + ',' + cy) === true) return true;
        }
      }
      return false;
    }
    add(b) {
      this.each(b, (k) => {
        if (!this.cells.has(k)) this.cells.set(k, []);
        this.cells.get(k).push(b);
      });
    }
    hits(b) {
      return this.each(b, (k) => (this.cells.get(k) || []).some((o) => hits(o, b)));
    }
  }

  // Place labels: the model lists them best first; show as many as fit without overlap.
  const FONT = getComputedStyle(document.body).fontFamily || 'sans-serif';
  const measureCtx = document.createElement('canvas').getContext('2d');
  const LABEL_STYLE = {
    country: { size: 15, weight: 700, dot: 0 },
    enclave: { size: 11.5, weight: 700, dot: 0 },
    key: { size: 12.5, weight: 700, dot: 3.2 },
    town: { size: 12, weight: 400, dot: 3.2 },
    village: { size: 11, weight: 400, dot: 2.2 }
  };
  const labelEls = new Map();
  const widthCache = new Map();
  function textWidth(text, st) {
    const key = st.weight + '|' + st.size + '|' + text;
    if (!widthCache.has(key)) {
      let w = text.length * st.size * 0.58;
      if (measureCtx) {
        measureCtx.font = st.weight + ' ' + st.size + 'px ' + FONT;
        w = measureCtx.measureText(text).width;
      }
      widthCache.set(key, w);
    }
    return widthCache.get(key);
  }
  function labelWanted(l, mpp) {
    switch (l.cls) {
      case 'country':
        return mpp > 25;
      case 'enclave':
      case 'key':
        return true;
      case 'town':
        return l.pop >= 15000 || mpp < 200;
      default:
        return (l.pop > 0 && mpp < 120) || mpp < 60;
    }
  }
  function drawLabels(obstacles) {
    const mpp = groundMpp();
    const labels = new BoxIndex();
    let placed = 0;
    const budget = Math.max(12, Math.floor((vw * vh) / 7000));
    const shown = new Set();
    clear(G.dots);
    M.labels.forEach((l, k) => {
      if (placed >= budget || !labelWanted(l, mpp)) return;
      const st = LABEL_STYLE[l.cls] || LABEL_STYLE.village;
      const w = textWidth(labelText(l), st);
      const hgt = st.size;
      const d = st.dot;
      if (!d) {
        // Country and enclave names: centred on the first candidate point where they fit.
        for (const at of [l.xy, ...(l.alt || [])]) {
          const [x, y] = toScreen(at[0], at[1]);
          const b = { x0: x - w / 2 - 2, y0: y - hgt * 0.5, x1: x + w / 2 + 2, y1: y + hgt * 0.6 };
          if (b.x0 < 2 || b.x1 > vw - 2 || b.y0 < 2 || b.y1 > vh - 2) continue;
          if (labels.hits(b) || obstacles.hits(b)) continue;
          labels.add(b);
          placed++;
          putLabel(k, l, x, y + hgt * 0.35, 'middle');
          shown.add(k);
          return;
        }
        return;
      }
      const [x, y] = toScreen(l.xy[0], l.xy[1]);
      if (x < 0 || y < 0 || x > vw || y > vh) return;
      // As on the static map: a place's dot may sit under an incident marker, but not under
      // another label; key places (the ones the reports name) try further out before giving up.
      const dotBox = box(x, y, d + 1);
      if (labels.hits(dotBox)) return;
      const reaches = l.cls === 'key' ? [0, 10, 16, 26] : [0];
      for (const extra of reaches) {
        const gap = d + 3 + extra;
        const options = [
          [x + gap, y + hgt * 0.35, 'start'],
          [x - gap, y + hgt * 0.35, 'end'],
          [x, y - gap - 2, 'middle'],
          [x, y + gap + hgt * 0.8, 'middle']
        ];
        for (const [tx, ty, anchor] of options) {
          const x0 = anchor === 'start' ? tx : anchor === 'end' ? tx - w : tx - w / 2;
          const b = { x0: x0 - 2, y0: ty - hgt * 0.85, x1: x0 + w + 2, y1: ty + hgt * 0.25 };
          if (b.x0 < 2 || b.x1 > vw - 2 || b.y0 < 2 || b.y1 > vh - 2) continue;
          if (labels.hits(b) || obstacles.hits(b)) continue;
          labels.add(b);
          labels.add(dotBox);
          placed++;
          G.dots.append(s('circle', { class: 'dot ' + l.cls, cx: x.toFixed(1), cy: y.toFixed(1), r: d }));
          putLabel(k, l, tx, ty, anchor);
          shown.add(k);
          return;
        }
      }
    });
    for (const [k, e] of labelEls) show(e, shown.has(k));
  }
  function putLabel(k, l, x, y, anchor) {
    let e = labelEls.get(k);
    if (!e) {
      e = s('text', { class: 'label ' + l.cls });
      e.textContent = labelText(l);
      if (l.colour) e.style.fill = l.colour;
      labelEls.set(k, e);
      G.labels.append(e);
    }
    e.setAttribute('x', x.toFixed(1));
    e.setAttribute('y', y.toFixed(1));
    e.setAttribute('text-anchor', anchor);
  }

  // The scale bar: a round ground length at the view centre, corrected for the UTM scale
  // factor there.
  const NICE = [1, 2, 5];
  function drawScale() {
    const mpp = groundMpp();
    const target = 130 * mpp;
    let len = 1;
    for (let e = 0; e < 8; e++) {
      for (const n of NICE) {
        const l = n * Math.pow(10, e);
        if (l <= target) len = l;
      }
    }
    const px = len / mpp;
    $('scalebar-bar').style.width = px.toFixed(1) + 'px';
    $('scalebar-label').textContent = km(len);
    mapwrap.dataset.mpp = mpp.toFixed(4);
    mapwrap.dataset.k = kAt(view.cx).toFixed(9);
  }

  function drawPin() {
    clear(G.pin);
    if (state.place == null) return;
    const p = M.places[state.place];
    const [x, y] = toScreen(p.xy[0], p.xy[1]);
    const g = s('g', { class: 'pin', transform: 'translate(' + x.toFixed(1) + ' ' + y.toFixed(1) + ')' });
    g.append(s('path', { d: 'M0 0C-2 -7 -9 -10 -9 -17A9 9 0 1 1 9 -17C9 -10 2 -7 0 0Z' }));
    g.append(s('circle', { cx: 0, cy: -17, r: 3.2, class: 'pin-hole' }));
    G.pin.append(g);
  }

  function render() {
    frameRequest = 0;
    if (!vw || !vh) return;
    const t0 = performance.now();
    if (shift.on) {
      shift.on = false;
      shift.x = 0;
      shift.y = 0;
      mapEl.style.transform = '';
    }
    const tx = vw / 2 - view.cx * view.s;
    const ty = vh / 2 - view.cy * view.s;
    worldEl.setAttribute('transform', 'matrix(' + view.s + ' 0 0 ' + view.s + ' ' + tx + ' ' + ty + ')');
    const obstacles = new BoxIndex();
    drawIncidents(obstacles);
    drawLabels(obstacles);
    drawScale();
    drawPin();
    writeHashSoon();
    heavy = performance.now() - t0 > 25 || G.markers.childElementCount > 1500;
  }

  // ---------------------------------------------------------------- interaction
  const pointers = new Map();
  let gesture = null;
  function pointerInfo() {
    const pts = [...pointers.values()];
    if (pts.length === 1) return { x: pts[0].x, y: pts[0].y, d: 0 };
    const [a, b] = pts;
    return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2, d: Math.hypot(a.x - b.x, a.y - b.y) };
  }
  function local(e) {
    const r = mapwrap.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  }
  mapEl.addEventListener('pointerdown', (e) => {
    if (e.button !== 0 && e.pointerType === 'mouse') return;
    pointers.set(e.pointerId, local(e));
    const p = pointerInfo();
    gesture = {
      start: p,
      last: p,
      moved: false,
      target: pointers.size === 1 ? e.target.closest('.inc, .bubble') : null
    };
    hideTooltip();
  });
  mapEl.addEventListener('pointermove', (e) => {
    if (!pointers.has(e.pointerId) || !gesture) return;
    pointers.set(e.pointerId, local(e));
    const p = pointerInfo();
    if (!gesture.moved && Math.hypot(p.x - gesture.start.x, p.y - gesture.start.y) > 4) {
      gesture.moved = true;
      try {
        mapEl.setPointerCapture(e.pointerId);
      } catch (err) {
        /* the pointer may already be gone */
      }
      mapwrap.classList.add('dragging');
    }
    if (gesture.moved) {
      if (p.d && gesture.last.d) {
        zoomAt(p.d / gesture.last.d, p.x, p.y);
      }
      dragPan(p.x - gesture.last.x, p.y - gesture.last.y);
    }
    gesture.last = p;
  });
  function pointerEnd(e) {
    if (!pointers.has(e.pointerId)) return;
    pointers.delete(e.pointerId);
    if (gesture && !gesture.moved && pointers.size === 0 && e.type === 'pointerup') {
      activate(gesture.target);
    }
    if (pointers.size === 0) {
      gesture = null;
      mapwrap.classList.remove('dragging');
      endShift();
    } else {
      const p = pointerInfo();
      gesture = { start: p, last: p, moved: true, target: null };
    }
  }
  mapEl.addEventListener('pointerup', pointerEnd);
  mapEl.addEventListener('pointercancel', pointerEnd);
  mapEl.addEventListener('wheel', (e) => {
    e.preventDefault();
    const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? 400 : 1;
    const p = local(e);
    zoomAt(Math.exp(-e.deltaY * unit * 0.0015), p.x, p.y);
  }, { passive: false });
  mapEl.addEventListener('dblclick', (e) => {
    e.preventDefault();
    const p = local(e);
    zoomAt(e.shiftKey ? 0.5 : 2, p.x, p.y);
  });
  function activate(target) {
    if (!target) return;
    if (target.classList.contains('bubble')) {
      showList(target.bmMembers);
    } else if (target.dataset.i != null) {
      select(Number(target.dataset.i), false);
    }
  }
  mapEl.addEventListener('keydown', (e) => {
    const t = e.target.closest && e.target.closest('.inc, .bubble');
    if (t && (e.key === 'Enter' || e.key === ' ')) {
      e.preventDefault();
      activate(t);
    }
  });
  document.addEventListener('keydown', (e) => {
    const tag = (e.target.tagName || '').toLowerCase();
    if (tag === 'input' || tag === 'select' || tag === 'textarea' || e.ctrlKey || e.metaKey || e.altKey) return;
    const step = 100;
    const handled = {
      ArrowLeft: () => panBy(step, 0),
      ArrowRight: () => panBy(-step, 0),
      ArrowUp: () => panBy(0, step),
      ArrowDown: () => panBy(0, -step),
      '+': () => zoomAt(1.5, vw / 2, vh / 2),
      '=': () => zoomAt(1.5, vw / 2, vh / 2),
      '-': () => zoomAt(1 / 1.5, vw / 2, vh / 2),
      _: () => zoomAt(1 / 1.5, vw / 2, vh / 2),
      Escape: () => closeDetail()
    }[e.key];
    if (handled) {
      e.preventDefault();
      handled();
    }
  });
  $('zoom-in').addEventListener('click', () => zoomAt(1.5, vw / 2, vh / 2));
  $('zoom-out').addEventListener('click', () => zoomAt(1 / 1.5, vw / 2, vh / 2));
  $('zoom-reset').addEventListener('click', () => {
    fitBox(W.initial, 16);
    schedule();
  });

  // Tooltip on hover.
  const tooltip = $('tooltip');
  function hideTooltip() {
    tooltip.hidden = true;
  }
  mapEl.addEventListener('pointerover', (e) => {
    const t = e.target.closest && e.target.closest('.inc');
    if (!t || pointers.size) return;
    const i = Number(t.dataset.i);
    clear(tooltip);
    tooltip.append(h('strong', { text: titleOf(i) }), h('span', { text: dateRange(INC[i].sd, INC[i].ed) + ' · ' + typeLabel(typeOf(i)) }));
    const p = local(e);
    tooltip.hidden = false;
    const w = tooltip.offsetWidth;
    tooltip.style.left = clamp(p.x + 14, 4, vw - w - 4) + 'px';
    tooltip.style.top = clamp(p.y + 14, 4, vh - tooltip.offsetHeight - 4) + 'px';
  });
  mapEl.addEventListener('pointerout', (e) => {
    if (e.target.closest && e.target.closest('.inc')) hideTooltip();
  });

  // ---------------------------------------------------------------- side panel: overview
  function checklist(ul, keys, set, labelOf, countOf, iconOf) {
    clear(ul);
    for (const k of keys) {
      const input = h('input', { type: 'checkbox' });
      input.checked = set.has(k);
      input.value = k;
      input.addEventListener('change', () => {
        if (input.checked) set.add(k);
        else set.delete(k);
        refresh();
      });
      ul.append(h('li', null, h('label', { class: 'check' }, input, iconOf ? iconOf(k) : null, h('span', { class: 'name', text: labelOf(k) }), h('span', { class: 'n', text: String(countOf(k)) }))));
    }
  }
  function countLocated(f) {
    return located.filter(f).length;
  }
  function buildFilters() {
    checklist($('filter-types'), ALL_TYPES, state.types, (k) => typeLabel(TYPES.get(k)), (k) => countLocated((i) => INC[i].t === k), (k) => symbol(TYPES.get(k), 6.5));
    checklist($('filter-sides'), ALL_SIDES, state.sides, (k) => COUNTRY[k] || k, (k) => countLocated((i) => INC[i].side === k));
    checklist($('filter-claimants'), ALL_CLAIMANTS, state.claimants, (k) => CLAIMANT[k] || k, (k) => countLocated((i) => INC[i].cl.includes(k)));
  }
  function syncFilterChecks() {
    const sync = (id, set) => {
      for (const input of $(id).querySelectorAll('input')) input.checked = set.has(input.value);
    };
    sync('filter-types', state.types);
    sync('filter-sides', state.sides);
    sync('filter-claimants', state.claimants);
  }
  $('types-all').addEventListener('click', () => {
    ALL_TYPES.forEach((k) => state.types.add(k));
    syncFilterChecks();
    refresh();
  });
  $('types-none').addEventListener('click', () => {
    state.types.clear();
    syncFilterChecks();
    refresh();
  });

  function legendRow(icon, text) {
    return h('li', null, icon, h('span', { text }));
  }
  function iconSvg(w, hh, ...children) {
    const svg = s('svg', { width: w, height: hh, viewBox: '0 0 ' + w + ' ' + hh, class: 'sym', 'aria-hidden': 'true' });
    children.forEach((c) => svg.append(c));
    return svg;
  }
  function buildLegend() {
    const ul = $('legend');
    clear(ul);
    const grey = { key: 'grey', colour: '#bdbdbd', shape: TYPES.get('armed_clash').shape };
    const sizes = h('li', { class: 'sizes' });
    for (const [f, r] of ST.legend_sizes) {
      sizes.append(h('span', { class: 'size' }, symbol(grey, r), h('small', { text: String(f) })));
    }
    ul.append(h('li', { class: 'legend-head', text: tr('size_head') }), sizes);
    ul.append(h('li', { class: 'legend-head', text: tr('location_head') }));
    ul.append(legendRow(iconSvg(28, 28, s('circle', { cx: 14, cy: 14, r: 12, class: 'lg-halo' }), s('circle', { cx: 14, cy: 14, r: 4, class: 'lg-dot' })), tr('halo')));
    ul.append(legendRow(iconSvg(28, 28, s('circle', { cx: 14, cy: 14, r: 12, class: 'area-halo' }), s('circle', { cx: 14, cy: 14, r: 5, class: 'lg-area' })), tr('area', ST.halo_cap_px)));
    ul.append(legendRow(iconSvg(28, 28, s('line', { x1: 6, y1: 20, x2: 20, y2: 8, class: 'lg-leader' }), s('circle', { cx: 6, cy: 20, r: 2, class: 'true-pos' }), s('circle', { cx: 20, cy: 8, r: 4, class: 'lg-dot' })), tr('displaced')));
    ul.append(legendRow(iconSvg(28, 28, s('circle', { cx: 14, cy: 14, r: 11, class: 'lg-bubble' })), tr('bubble', ST.max_ring)));
    ul.append(h('li', { class: 'legend-head', text: tr('base_head') }));
    const line = (cls) => iconSvg(28, 14, s('path', { d: 'M2 7L26 7', class: cls }));
    ul.append(legendRow(line('lg-border'), tr('border')));
    ul.append(legendRow(line('lg-boundary'), tr('boundary')));
    ul.append(legendRow(iconSvg(28, 14, s('path', { d: 'M2 7L26 7', class: 'lg-casing' }), s('path', { d: 'M2 7L26 7', class: 'lg-disputed' })), tr('disputed')));
    ul.append(legendRow(line('lg-agreed'), tr('agreed')));
    ul.append(legendRow(iconSvg(28, 14, s('rect', { x: 3, y: 2, width: 22, height: 10, class: 'lg-enclave-tj' })), tr('enclave_tj')));
    ul.append(legendRow(iconSvg(28, 14, s('rect', { x: 3, y: 2, width: 22, height: 10, class: 'lg-enclave-uz' })), tr('enclave_uz')));
    ul.append(legendRow(line('lg-river'), tr('water')));
  }

  function buildNotDrawn() {
    const missing = [];
    INC.forEach((v, i) => {
      if (!v.xy) missing.push(i);
    });
    $('not-drawn-block').hidden = missing.length === 0;
    const ul = $('not-drawn');
    clear(ul);
    for (const i of missing) {
      const why = INC[i].outside ? tr('why_outside') : tr('why_unlocated');
      ul.append(h('li', null, incidentButton(i), h('span', { class: 'muted', text: ' — ' + why })));
    }
  }
  function incidentButton(i, prefix) {
    const b = h('button', { type: 'button', class: 'incident-link' });
    b.append(symbol(typeOf(i), 5), h('span', { text: (prefix || '') + titleOf(i) }));
    b.addEventListener('click', () => select(i, true));
    return b;
  }

  // ---------------------------------------------------------------- disputed sections
  const sectionEls = new Map();
  for (const g of document.querySelectorAll('#disputed g.section')) {
    sectionEls.set(g.getAttribute('data-section'), g);
  }
  /** The status on a day: the latest change on or before it (the first status before any
   *  change), as bordermap's Section::status_on. */
  function statusOn(sec, iso) {
    let st = sec.history.length ? sec.history[0][1] : 'disputed';
    for (const [d, v] of sec.history) if (d <= iso) st = v;
    return st;
  }
  const secName = (sec) => (LANG === 'ru' && sec.name_ru ? sec.name_ru : sec.name);
  function updateSections() {
    const iso = dayToIso(state.asof);
    const list = $('section-list');
    clear(list);
    $('disputed').setAttribute('display', state.disputed ? 'inline' : 'none');
    for (const sec of M.sections) {
      const st = statusOn(sec, iso);
      const g = sectionEls.get(sec.id);
      if (g) {
        g.setAttribute('class', 'section ' + st);
        g.setAttribute('data-status', st);
        const t = g.querySelector('title');
        if (t) {
          t.textContent = sec.n + '. ' + secName(sec) + ' — ' + tr('as_of', words().statuses[st] || st, longDate(state.asof)) + (sec.approximate ? tr('approximate') : '') + '. ' + sec.description;
        }
      }
      list.append(h('li', { 'data-section': sec.id, 'data-status': st, title: sec.description }, h('span', { class: 'name', text: secName(sec) }), h('span', { class: 'status ' + st, text: words().statuses[st] || st })));
    }
    const asof = $('asof');
    asof.value = iso;
    asof.disabled = state.follow;
    $('asof-follow').checked = state.follow;
    $('toggle-disputed').checked = state.disputed;
  }
  $('toggle-disputed').addEventListener('change', (e) => {
    state.disputed = e.target.checked;
    updateSections();
    writeHashSoon();
  });
  $('asof-follow').addEventListener('change', (e) => {
    state.follow = e.target.checked;
    if (state.follow) state.asof = state.t;
    updateSections();
    writeHashSoon();
  });
  $('asof').addEventListener('change', (e) => {
    const d = isoToDay(e.target.value);
    if (d == null) return;
    state.asof = d;
    state.follow = false;
    updateSections();
    writeHashSoon();
  });

  // ---------------------------------------------------------------- time
  const slider = $('time');
  const hist = $('histogram');
  if (HAS_DAYS) {
    slider.max = String(LAST - FIRST);
  } else {
    slider.disabled = true;
    $('play').disabled = true;
  }
  function setTime(t) {
    state.t = clamp(Math.round(t), FIRST, LAST);
    if (state.follow) state.asof = state.t;
    refresh();
  }
  slider.addEventListener('input', () => {
    stopPlay();
    setTime(FIRST + Number(slider.value));
  });
  $('mode').addEventListener('change', (e) => {
    state.mode = ['cum', '7', '30'].includes(e.target.value) ? e.target.value : 'cum';
    refresh();
  });
  let timer = 0;
  function stopPlay() {
    if (timer) clearInterval(timer);
    timer = 0;
    $('play').textContent = '▶';
    $('play').setAttribute('aria-label', tr('play'));
  }
  $('play').addEventListener('click', () => {
    if (timer) {
      stopPlay();
      return;
    }
    if (state.t >= LAST) setTime(FIRST);
    const step = Math.max(1, Math.round((LAST - FIRST) / 360));
    $('play').textContent = '❚❚';
    $('play').setAttribute('aria-label', tr('pause'));
    timer = setInterval(() => {
      if (state.t >= LAST) {
        stopPlay();
        return;
      }
      setTime(state.t + step);
    }, 50);
  });
  function windowStart() {
    return state.mode === 'cum' ? FIRST : state.t - Number(state.mode) + 1;
  }
  function drawHistogram() {
    clear(hist);
    if (!HAS_DAYS) return;
    const w = hist.clientWidth || 600;
    const hh = hist.clientHeight || 40;
    const pad = 8;
    hist.setAttribute('viewBox', '0 0 ' + w + ' ' + hh);
    const span = Math.max(1, LAST - FIRST);
    const counts = new Map();
    for (const i of located) {
      if (!passesFilters(i) || INC[i].sd == null) continue;
      counts.set(INC[i].sd, (counts.get(INC[i].sd) || 0) + 1);
    }
    const max = Math.max(1, ...counts.values());
    const xOf = (d) => pad + ((d - FIRST) / span) * (w - 2 * pad);
    const bw = clamp((0.7 * (w - 2 * pad)) / span, 2.5, 16);
    const top = 12;
    // Year ticks.
    const y0 = new Date(FIRST * DAY_MS).getUTCFullYear();
    const y1 = new Date(LAST * DAY_MS).getUTCFullYear();
    let lastLabel = -Infinity;
    for (let y = y0; y <= y1 + 1; y++) {
      for (const m of y === y0 && y0 === y1 ? [0, 3, 6, 9] : [0, 6]) {
        const d = Math.round(Date.UTC(y, m, 1) / DAY_MS);
        if (d < FIRST || d > LAST) continue;
        const x = xOf(d);
        hist.append(s('line', { class: 'tick', x1: x, x2: x, y1: 0, y2: hh }));
        if (x - lastLabel < 56 || x > w - 30) continue;
        lastLabel = x;
        const t = s('text', { class: 'tick-label', x: x + 3, y: 9 });
        t.textContent = (m === 0 ? '' : words().months_short[m] + ' ') + y;
        hist.append(t);
      }
    }
    const from = windowStart();
    for (const [d, n] of counts) {
      const bh = Math.max(3, ((hh - top - 1) * n) / max);
      const on = d >= from && d <= state.t;
      const r = s('rect', { class: on ? 'bar on' : 'bar', x: (xOf(d) - bw / 2).toFixed(1), y: (hh - bh).toFixed(1), width: bw.toFixed(1), height: bh.toFixed(1) });
      const t = s('title', {});
      t.textContent = longDate(d) + ': ' + (n === 1 ? tr('incident_one') : tr('incidents_n', n));
      r.append(t);
      hist.append(r);
    }
    if (state.mode !== 'cum') {
      const a = xOf(Math.max(FIRST, from));
      hist.append(s('rect', { class: 'window', x: a.toFixed(1), y: 0, width: Math.max(1, xOf(state.t) - a).toFixed(1), height: hh }));
    }
  }
  function updateTimeLabel() {
    if (!HAS_DAYS) {
      $('time-label').textContent = tr('no_dates');
      return;
    }
    slider.value = String(state.t - FIRST);
    $('mode').value = state.mode;
    $('time-label').textContent = state.mode === 'cum' ? tr('up_to', longDate(state.t)) : dateRange(Math.max(FIRST, windowStart()), state.t);
  }

  // ---------------------------------------------------------------- counts
  function updateCounts() {
    const n = located.filter(visible).length;
    $('count-visible').textContent = String(n);
    $('count-located').textContent = String(located.length);
    const notes = [];
    const unlocated = INC.filter((v) => !v.xy && !v.outside).length;
    const outside = INC.filter((v) => v.outside).length;
    if (unlocated) notes.push(tr('without_location', unlocated));
    if (outside) notes.push(tr('outside_area', outside));
    const filteredByTime = located.filter((i) => passesFilters(i) && !passesTime(i)).length;
    if (filteredByTime) notes.push(tr('hidden_by_time', filteredByTime));
    $('count-note').textContent = notes.join(' · ');
  }

  // ---------------------------------------------------------------- detail panel
  const side = $('side');
  function openView(name) {
    $('view-overview').hidden = name !== 'overview';
    $('view-detail').hidden = name !== 'detail';
    side.scrollTop = 0;
  }
  function closeDetail() {
    if (state.sel != null) {
      state.sel = null;
      schedule();
    }
    openView('overview');
    writeHashSoon();
  }
  $('back').addEventListener('click', closeDetail);

  function section(title, ...children) {
    return h('section', { class: 'dblock' }, h('h3', { text: title }), ...children);
  }
  function dl(rows) {
    const d = h('dl', { class: 'facts' });
    for (const [k, v] of rows) {
      if (v == null || v === '') continue;
      d.append(h('dt', { text: k }), h('dd', null, v));
    }
    return d;
  }
  function claimsOf(i) {
    try {
      const c = JSON.parse(str(props(i).claims_json) || '[]');
      return Array.isArray(c) ? c.filter((x) => x && typeof x === 'object') : [];
    } catch (e) {
      return null;
    }
  }
  function sourceIndex(i) {
    const p = props(i);
    const ids = str(p.source_ids).split(';').map((x) => x.trim()).filter(Boolean);
    const cits = str(p.sources).split(' | ').map((x) => x.trim()).filter(Boolean);
    const urls = str(p.source_urls).split(/\s+/).filter(Boolean);
    const byId = new Map();
    if (ids.length === cits.length) ids.forEach((id, k) => byId.set(id, cits[k]));
    // Each citation with its own link (sources_json), never paired by position.
    let pairs = null;
    try {
      const v = JSON.parse(str(p.sources_json));
      if (Array.isArray(v)) pairs = v.filter((x) => x && typeof x === 'object');
    } catch (e) {
      pairs = null;
    }
    return { ids, cits, urls, byId, pairs };
  }
  function figures(c) {
    const parts = [];
    if (c.killed != null) parts.push((c.killed_min ? '≥' : '') + str(c.killed) + ' killed');
    if (c.civilians_killed != null) parts.push(str(c.civilians_killed) + ' civilians killed');
    if (c.injured != null) parts.push((c.injured_min ? '≥' : '') + str(c.injured) + ' injured');
    return parts.length ? parts.join(', ') : 'no figure';
  }
  const VICTIMS = { KG: 'Kyrgyz casualties', TJ: 'Tajik casualties', all: 'all sides', third_party: 'third-party casualties', unattributed: 'casualties (unattributed)' };
  const KNOWN_CLAIM_KEYS = new Set(['claimant', 'claimant_side', 'victims', 'killed', 'killed_min', 'injured', 'injured_min', 'civilians_killed', 'source', 'date', 'note']);
  function claimCard(c, src) {
    const sideKey = str(c.claimant_side);
    const li = h('li', { class: 'claim' });
    li.append(h('div', { class: 'claim-head' }, h('span', { class: 'side-badge s-' + (['KG', 'TJ'].includes(sideKey) ? sideKey : 'other'), text: sideKey || '?' }), h('span', { class: 'claimant', text: str(c.claimant) || 'unnamed claimant' }), h('span', { class: 'muted claim-date', text: str(c.date) })));
    li.append(h('div', { class: 'claim-figures' }, h('strong', { text: figures(c) }), ' ', h('span', { class: 'muted', text: '(' + (VICTIMS[str(c.victims)] || str(c.victims) || 'victims not stated') + ')' })));
    if (c.source != null) {
      const id = str(c.source);
      const cit = src.byId.get(id);
      li.append(h('div', { class: 'claim-source' }, h('span', { class: 'muted', text: 'Source: ' }), cit ? cit : id));
    }
    if (c.note != null) li.append(h('div', { class: 'claim-note', text: str(c.note) }));
    for (const k of Object.keys(c)) {
      if (!KNOWN_CLAIM_KEYS.has(k)) li.append(h('div', { class: 'muted small', text: k + ': ' + str(c[k]) }));
    }
    return li;
  }

  function showDetail(i) {
    const p = props(i);
    const v = INC[i];
    const t = typeOf(i);
    const art = $('detail');
    clear(art);
    const rawType = str(p.event_type);
    art.append(h('div', { class: 'kicker' }, symbol(t, 6.5, v.p >= 3 ? 'area' : ''), h('span', { text: typeLabel(t) + (rawType && rawType !== t.key ? ' (given as “' + rawType + '”)' : '') })));
    art.append(h('h2', { id: 'detail-title', text: titleOf(i) }));
    const dp = str(p.date_precision);
    art.append(h('p', { class: 'date', text: v.sd == null ? 'Undated: the source gives no date' : dateRange(v.sd, v.ed) + (dp && dp !== 'day' ? ' (date known to the ' + dp + ')' : '') }));

    // Location, as reported and as geocoded, with its honesty markers.
    const where = [p.geo_place_name, p.geo_kind, [p.geo_admin2, p.geo_admin1].filter(Boolean).join(', '), p.geo_country].map(str).filter(Boolean);
    const prec = p.geo_precision != null ? str(p.geo_precision) : '';
    const coords = FEATURES[i] && FEATURES[i].geometry && Array.isArray(FEATURES[i].geometry.coordinates) ? FEATURES[i].geometry.coordinates : null;
    art.append(section(tr('d_location'), dl([
      [tr('d_as_reported'), str(p.location_reported) || str(p.place_query)],
      [tr('d_placed_at'), where.length ? where.join(' · ') : (coords ? '' : tr('not_located'))],
      [tr('d_precision'), prec ? prec + ' — ' + (PRECISION[prec] || tr('unknown')) : ''],
      [tr('d_uncertainty'), v.u > 0 ? tr('radius', km(v.u)) : ''],
      [tr('d_coordinates'), coords ? tr('lat_lon', Number(coords[1]).toFixed(5), Number(coords[0]).toFixed(5)) : ''],
      [tr('d_geocoding'), [str(p.geo_status), str(p.geo_method), p.geo_confidence != null ? 'confidence ' + str(p.geo_confidence) : ''].filter(Boolean).join(' · ')],
      [tr('d_why'), str(p.geo_reason)],
      [tr('d_border'), p.distance_to_border_m != null ? tr('from_border', km(Number(p.distance_to_border_m))) + (p.border_side ? tr('on_side', COUNTRY[str(p.border_side)] || str(p.border_side)) : '') : ''],
      [tr('d_administered'), p.admin_country ? (COUNTRY[str(p.admin_country)] || str(p.admin_country)) + (p.nearest_place ? tr('nearest_settlement', str(p.nearest_place) + (p.nearest_place_m != null ? ', ' + km(Number(p.nearest_place_m)) : '')) : '') : ''],
      [tr('d_nearest_section'), p.nearest_section ? str(p.nearest_section) + (p.nearest_section_m != null ? ' (' + km(Number(p.nearest_section_m)) + ')' : '') + (p.nearest_section_status ? ', ' + str(p.nearest_section_status) + ' on the first day' : '') : '']
    ])));
    if (p.side_agrees === false) {
      art.append(h('p', { class: 'caveat', text: sideNote(p) }));
    }
    if (v.p >= 3) {
      art.append(h('p', { class: 'caveat', text: 'Located only to a district or region: the marker sits at its centre, and the incident may have happened anywhere within about ' + km(v.u) + '.' }));
    }

    // Casualty claims: every one, with its claimant; never merged.
    const claims = claimsOf(i);
    const src = sourceIndex(i);
    const cl = h('ol', { class: 'claims', id: 'detail-claims' });
    if (claims === null) {
      cl.append(h('li', { class: 'muted', text: 'The claims could not be read (claims_json is not valid JSON).' }));
    } else if (claims.length === 0) {
      cl.append(h('li', { class: 'muted', text: tr('d_no_claims') }));
    } else {
      claims.forEach((c) => cl.append(claimCard(c, src)));
    }
    const high = p.fatalities_high_open === true ? 'open' : (p.fatalities_high != null ? str(p.fatalities_high) : 'unknown');
    const est = p.fatalities_best != null
      ? h('p', { class: 'estimate' }, tr('d_estimate'), h('strong', { text: str(p.fatalities_best) }), ' (low ' + str(p.fatalities_low) + ', high ' + high + ')')
      : h('p', { class: 'estimate muted', text: tr('d_no_figure') });
    if (p.aggregate === true) {
      art.append(h('p', { class: 'caveat', text: 'A record of totals for a whole conflict or period, not an event: do not add its figures to those of the events it covers (' + str(p.covers) + ').' }));
    }
    if (p.contradictions) {
      art.append(section(tr('d_disagree'), h('p', { text: str(p.contradictions) })));
    }
    if (p.allegations) {
      art.append(section(tr('d_allegations'), h('p', { text: str(p.allegations) })));
    }
    const rule = p.fatality_rule ? h('details', { class: 'rule' }, h('summary', { text: tr('d_rule') }), h('p', { text: str(p.fatality_rule) })) : null;
    art.append(section(tr('d_claims', claims ? claims.length : '?'), cl, est, rule));

    // Sources, as links only when they are http(s) addresses.
    const srcList = h('ul', { class: 'sources', id: 'detail-sources' });
    if (src.pairs) {
      for (const s of src.pairs) {
        const li = h('li', null, h('span', { text: str(s.citation) }));
        if (s.url) li.append(' ', link(str(s.url)));
        srcList.append(li);
      }
    } else {
      src.cits.forEach((c) => srcList.append(h('li', null, h('span', { text: c }))));
      for (const u of src.urls) srcList.append(h('li', null, link(u)));
    }
    const none = src.pairs ? !src.pairs.length : !src.cits.length && !src.urls.length;
    if (none) srcList.append(h('li', { class: 'muted', text: tr('d_no_source') }));
    art.append(section(tr('d_sources'), srcList));

    if (p.actors) art.append(section(tr('d_actors'), h('p', { text: str(p.actors) })));
    if (p.notes) art.append(section(tr('d_notes'), h('p', { class: 'notes', text: str(p.notes) })));

    // Everything else, as text.
    const all = h('table', { class: 'props' });
    const tb = h('tbody');
    tb.append(h('tr', null, h('th', { text: 'id' }), h('td', { text: fid(i) })));
    for (const k of Object.keys(p)) tb.append(h('tr', null, h('th', { text: k }), h('td', { text: str(p[k]) })));
    all.append(tb);
    art.append(h('details', { class: 'allprops' }, h('summary', { text: tr('d_all') }), all));
  }

  function select(i, pan) {
    state.sel = i;
    showDetail(i);
    openView('detail');
    if (INC[i].xy) {
      const [x, y] = toScreen(INC[i].xy[0], INC[i].xy[1]);
      if (pan || x < 20 || y < 20 || x > vw - 20 || y > vh - 20) {
        view.cx = INC[i].xy[0];
        view.cy = INC[i].xy[1];
        clampView();
      }
    }
    schedule();
  }

  function showList(members, heading, distances) {
    state.sel = null;
    const art = $('detail');
    clear(art);
    art.append(h('h2', { id: 'detail-title', text: heading || members.length + ' incidents at this spot' }));
    if (distances) {
      art.append(h('p', { class: 'muted', text: 'Distances marked ≈ are great-circle approximations (haversine on a sphere of radius 6 371 km), good to about 0.5 %; bordermap near gives exact geodesic distances.' }));
    }
    const ol = h('ol', { class: 'inc-list', id: 'list-results' });
    if (!members.length) ol.append(h('li', { class: 'muted', text: 'No incident within this distance.' }));
    members.forEach((i, k) => {
      const li = h('li', null, incidentButton(i), h('div', { class: 'muted small', text: (distances ? '≈ ' + km(distances[k]) + ' · ' : '') + dateRange(INC[i].sd, INC[i].ed) + ' · ' + typeLabel(typeOf(i)) }));
      ol.append(li);
    });
    art.append(ol);
    openView('detail');
    schedule();
  }

  // ---------------------------------------------------------------- search
  const searchBox = $('search');
  const results = $('search-results');
  const KIND_RANK = { town: 0, enclave: 1, village: 2, border_post: 3, airport: 3, water_facility: 3, road_section: 3, district: 4, region: 5 };
  const placeKeys = M.places.map((p) => [p.n, ...p.alt].map((n) => [fold(n), n]));
  let hitsNow = [];
  let active = -1;
  function search(q) {
    const f = fold(q);
    if (f.length < 2) return [];
    const out = [];
    placeKeys.forEach((keys, k) => {
      let best = 0;
      let name = null;
      for (const [key, n] of keys) {
        const sc = key === f ? 3 : key.startsWith(f) ? 2 : key.includes(f) ? 1 : 0;
        if (sc > best) {
          best = sc;
          name = n;
        }
      }
      if (best) out.push({ k, score: best, name });
    });
    out.sort((a, b) => {
      const pa = M.places[a.k];
      const pb = M.places[b.k];
      return b.score - a.score || (KIND_RANK[pa.k] ?? 3) - (KIND_RANK[pb.k] ?? 3) || pb.pop - pa.pop || (pa.n < pb.n ? -1 : pa.n > pb.n ? 1 : a.k - b.k);
    });
    return out.slice(0, 8);
  }
  function renderResults() {
    clear(results);
    results.hidden = hitsNow.length === 0 && !searchBox.value.trim();
    if (!hitsNow.length) {
      if (searchBox.value.trim()) results.append(h('li', { class: 'none', text: tr('no_such_place') }));
      return;
    }
    hitsNow.forEach((hit, n) => {
      const p = M.places[hit.k];
      const li = h('li', { role: 'option', id: 'result-' + n, class: n === active ? 'active' : '', 'aria-selected': n === active ? 'true' : 'false' });
      li.append(h('div', { class: 'r-name' }, h('strong', { text: placeName(p) }), hit.name !== placeName(p) ? h('span', { class: 'muted', text: ' — ' + hit.name }) : null));
      li.append(h('div', { class: 'r-where muted', text: [p.k.replace('_', ' '), [p.a2, p.a1].filter(Boolean).join(', '), COUNTRY[p.c] || p.c].filter(Boolean).join(' · ') }));
      li.addEventListener('pointerdown', (e) => {
        e.preventDefault();
        goToPlace(hit.k);
      });
      results.append(li);
    });
  }
  let searchTimer = 0;
  searchBox.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      hitsNow = search(searchBox.value);
      active = hitsNow.length ? 0 : -1;
      renderResults();
    }, 60);
  });
  searchBox.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!hitsNow.length) return;
      active = (active + (e.key === 'ArrowDown' ? 1 : hitsNow.length - 1)) % hitsNow.length;
      renderResults();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      hitsNow = search(searchBox.value);
      if (hitsNow.length) goToPlace(hitsNow[Math.max(0, Math.min(active, hitsNow.length - 1))].k);
    } else if (e.key === 'Escape') {
      results.hidden = true;
    }
  });
  searchBox.addEventListener('blur', () => {
    setTimeout(() => {
      results.hidden = true;
    }, 150);
  });
  searchBox.addEventListener('focus', () => {
    if (hitsNow.length) renderResults();
  });

  /** Great-circle distance on a sphere of radius 6 371 008.8 m (haversine): for display,
   *  within about 0.5 % of the geodesic. */
  function haversine(lon1, lat1, lon2, lat2) {
    const rad = Math.PI / 180;
    const a = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
    return 2 * 6371008.8 * Math.asin(Math.min(1, Math.sqrt(a)));
  }
  const NEAR_M = 30000;
  function goToPlace(k) {
    const p = M.places[k];
    state.place = k;
    results.hidden = true;
    searchBox.value = p.n;
    view.cx = p.xy[0];
    view.cy = p.xy[1];
    view.s = Math.max(view.s, W.unit_m / 45);
    clampView();
    const near = [];
    for (const i of located) {
      const g = FEATURES[i].geometry;
      if (!g || !Array.isArray(g.coordinates)) continue;
      near.push([haversine(p.ll[0], p.ll[1], Number(g.coordinates[0]), Number(g.coordinates[1])), i]);
    }
    near.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let within = near.filter((x) => x[0] <= NEAR_M);
    const heading = within.length
      ? within.length + (within.length === 1 ? ' incident' : ' incidents') + ' within ≈ ' + km(NEAR_M) + ' of ' + p.n
      : 'No incident within ≈ ' + km(NEAR_M) + ' of ' + p.n + '; the nearest:';
    if (!within.length) within = near.slice(0, 5);
    showList(within.map((x) => x[1]), heading, within.map((x) => x[0]));
    $('detail').setAttribute('data-place', p.n);
  }

  // ---------------------------------------------------------------- URL hash (shareable view)
  let hashTimer = 0;
  let lastHash = '';
  function writeHashSoon() {
    clearTimeout(hashTimer);
    hashTimer = setTimeout(writeHash, 200);
  }
  function writeHash() {
    if (!vw) return;
    const p = new URLSearchParams();
    p.set('c', Math.round(W.e0 + view.cx * W.unit_m) + ',' + Math.round(W.n0 - view.cy * W.unit_m));
    p.set('m', groundMpp().toPrecision(4));
    if (state.types.size !== ALL_TYPES.length) p.set('types', [...state.types].join(','));
    if (state.sides.size !== ALL_SIDES.length) p.set('sides', [...state.sides].join(','));
    if (state.claimants.size !== ALL_CLAIMANTS.length) p.set('claims', [...state.claimants].join(','));
    if (HAS_DAYS && state.t !== LAST) p.set('t', dayToIso(state.t));
    if (state.mode !== 'cum') p.set('w', state.mode);
    if (!state.disputed) p.set('disputed', '0');
    if (!state.follow) p.set('asof', dayToIso(state.asof));
    if (state.sel != null) p.set('sel', fid(state.sel));
    if (state.place != null) p.set('place', M.places[state.place].n + '@' + state.place);
    if (LANG !== 'en') p.set('lang', LANG);
    const next = '#' + p.toString();
    if (next === location.hash) return;
    lastHash = next;
    try {
      history.replaceState(null, '', next);
    } catch (e) {
      location.replace(next);
    }
  }
  function readHash() {
    const raw = location.hash.replace(/^#/, '');
    if (!raw) return false;
    const p = new URLSearchParams(raw);
    const nums = (t) => String(t).split(',').map(Number);
    const lang = p.get('lang') === 'ru' ? 'ru' : 'en';
    if (lang !== LANG) setLang(lang, false);
    if (p.has('c')) {
      const [e, n] = nums(p.get('c'));
      if (Number.isFinite(e) && Number.isFinite(n)) {
        view.cx = (e - W.e0) / W.unit_m;
        view.cy = (W.n0 - n) / W.unit_m;
      }
    }
    const m = Number(p.get('m'));
    if (p.has('m') && Number.isFinite(m) && m > 0) view.s = W.unit_m / (m * kAt(view.cx));
    clampView();
    const setOf = (key, all, set) => {
      if (!p.has(key)) return;
      set.clear();
      for (const k of p.get(key).split(',')) if (all.includes(k)) set.add(k);
    };
    setOf('types', ALL_TYPES, state.types);
    setOf('sides', ALL_SIDES, state.sides);
    setOf('claims', ALL_CLAIMANTS, state.claimants);
    if (HAS_DAYS && p.has('t')) {
      const d = isoToDay(p.get('t'));
      if (d != null) state.t = clamp(d, FIRST, LAST);
    }
    if (['7', '30'].includes(p.get('w'))) state.mode = p.get('w');
    state.disputed = p.get('disputed') !== '0';
    const asof = p.has('asof') ? isoToDay(p.get('asof')) : null;
    state.follow = asof == null;
    state.asof = asof != null ? asof : state.t;
    if (p.has('place')) {
      const k = Number(String(p.get('place')).split('@').pop());
      state.place = Number.isInteger(k) && k >= 0 && k < M.places.length ? k : null;
    }
    state.sel = null;
    if (p.has('sel')) {
      const id = p.get('sel');
      const i = FEATURES.findIndex((f, k) => fid(k) === id);
      if (i >= 0) state.sel = i;
    }
    return true;
  }
  window.addEventListener('hashchange', () => {
    if (location.hash === lastHash) return;
    readHash();
    syncFilterChecks();
    afterRestore();
  });
  function afterRestore() {
    refresh();
    if (state.sel != null) {
      showDetail(state.sel);
      openView('detail');
    } else {
      openView('overview');
    }
  }

  // ---------------------------------------------------------------- language switch
  /** Writes every word of the page in `lang` ('en' or 'ru'): the static text, the filters,
   *  the legend, the sections, the place labels and the open panel. */
  function setLang(lang, write) {
    LANG = lang === 'ru' ? 'ru' : 'en';
    document.documentElement.setAttribute('lang', LANG);
    for (const e of document.querySelectorAll('[data-i18n]')) e.textContent = tr(e.getAttribute('data-i18n'));
    for (const attr of ['placeholder', 'title', 'aria-label']) {
      for (const e of document.querySelectorAll('[data-i18n-' + attr + ']')) e.setAttribute(attr, tr(e.getAttribute('data-i18n-' + attr)));
    }
    $('scalebar-note').textContent = words().true_at_centre;
    // The default title is translated; a title given with --title is the user's own.
    if (M.title === M.words.en.title) {
      $('title').textContent = words().title;
      document.title = words().title;
    }
    $('legend-title').textContent = words().legend;
    for (const b of document.querySelectorAll('#lang-switch button')) b.setAttribute('aria-pressed', b.value === LANG ? 'true' : 'false');
    for (const [k, e] of labelEls) e.textContent = labelText(M.labels[k]);
    widthCache.clear();
    setSubtitle();
    buildFilters();
    buildLegend();
    buildNotDrawn();
    if (!timer) stopPlay();
    refresh();
    if (state.sel != null && !$('view-detail').hidden) showDetail(state.sel);
    if (write !== false) writeHashSoon();
  }
  for (const b of document.querySelectorAll('#lang-switch button')) {
    b.addEventListener('click', () => setLang(b.value));
  }

  // ---------------------------------------------------------------- wiring
  function refresh() {
    updateCounts();
    updateTimeLabel();
    drawHistogram();
    updateSections();
    schedule();
  }
  function setSubtitle() {
    const parts = [];
    if (HAS_DAYS) parts.push(dateRange(FIRST, LAST));
    parts.push(FEATURES.length === 1 ? tr('incident_one') : tr('incidents_n', FEATURES.length));
    parts.push(tr('offline'));
    $('subtitle').textContent = parts.join(' · ');
    $('attribution').textContent = words().attribution + ' · ' + tr('projection');
    $('about').textContent = tr('about', words().attribution);
  }
  function resize() {
    const first = !vw;
    const oldS = view.s;
    vw = mapwrap.clientWidth;
    vh = mapwrap.clientHeight;
    if (first) {
      fitBox(W.initial, 12);
      if (readHash()) {
        syncFilterChecks();
        afterRestore();
      }
    } else {
      view.s = oldS;
      clampView();
    }
    drawHistogram();
    schedule();
  }

  setSubtitle();
  buildFilters();
  buildLegend();
  buildNotDrawn();
  refresh();
  if (typeof ResizeObserver === 'function') {
    new ResizeObserver(resize).observe(mapwrap);
  } else {
    window.addEventListener('resize', resize);
  }
  resize();
  // Draw the first frame now rather than on the next animation frame.
  if (frameRequest) cancelAnimationFrame(frameRequest);
  render();
  document.documentElement.setAttribute('data-ready', '1');
})();
