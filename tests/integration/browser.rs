//! A real browser (issues 4 and 27): headless Chromium, driven over WebDriver by
//! chromedriver, as an agent uses the page. On a floor of 31 notices (the fixture collection
//! and 25 generated, `common::generated`): no sideways scroll at 320, 390 and 1 280 px (WCAG
//! 1.4.10; axe does not test it), a search typed with the keyboard showing what the server's
//! `/?q=` shows, one notice handed out as itself and three as a pack with exactly those
//! chapters (both pass veraPDF), every control's accessible name its own, the web address
//! copied, an empty choice caught, and axe-core with no violation. Without a collection, one
//! notice with the keyboard in both editions. Screenshots go to `output/agent-page*.png` for
//! a human to look at.
//!
//! In the `oracles` tier (`cargo test --features oracles`): needs Chromium, chromedriver and veraPDF.
#![cfg(feature = "oracles")]

use crate::common;

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use common::http::{request, start};
use serde_json::{Value, json};

struct Driver {
    child: Child,
    addr: String,
    session: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        // While a failed test unwinds, no request that could panic again (an abort would hide
        // the failure): the process is killed below either way.
        if !std::thread::panicking() {
            let _ = wd(
                &self.addr,
                "DELETE",
                &format!("/session/{}", self.session),
                None,
            );
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One WebDriver command; returns the `value` of the answer.
fn wd(addr: &str, method: &str, path: &str, body: Option<Value>) -> Value {
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let r = request(
        addr,
        method,
        path,
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    );
    let v: Value = serde_json::from_slice(&r.body).unwrap_or(Value::Null);
    assert!(
        r.status < 400,
        "WebDriver {method} {path}: {} {v}",
        r.status
    );
    v["value"].clone()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn chrome(download_dir: &str) -> Driver {
    let port = free_port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("chromedriver is needed ({e}); .ci/run installs chromium and chromium-driver")
        });
    let addr = format!("127.0.0.1:{port}");
    let start = Instant::now();
    while std::net::TcpStream::connect(&addr).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "chromedriver did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let caps = json!({"capabilities": {"alwaysMatch": {
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=1100,760"],
            "prefs": {"download.default_directory": download_dir, "download.prompt_for_download": false,
                      "download.directory_upgrade": true}
        }
    }}});
    let v = wd(&addr, "POST", "/session", Some(caps));
    let session = v["sessionId"].as_str().expect("a session").to_owned();
    Driver {
        child,
        addr,
        session,
    }
}

fn wait_for_file(dir: &std::path::Path, name: &str) -> Vec<u8> {
    let path = dir.join(name);
    let start = Instant::now();
    loop {
        if let Ok(bytes) = std::fs::read(&path)
            && bytes.ends_with(b"%%EOF\n") | bytes.ends_with(b"%%EOF")
        {
            return bytes;
        }
        let names: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no download {name}; have {names:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// One WebDriver session as a test drives it: the browser's window on the server at `server`.
struct Page<'a> {
    d: &'a Driver,
    /// `/session/<id>`.
    s: String,
    server: String,
}

/// The key WebDriver names an element reference by.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

impl Page<'_> {
    fn new<'a>(d: &'a Driver, server: &str) -> Page<'a> {
        Page {
            d,
            s: format!("/session/{}", d.session),
            server: server.to_owned(),
        }
    }

    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        wd(&self.d.addr, method, &format!("{}{path}", self.s), body)
    }

    fn go(&self, path: &str) {
        let url = format!("http://{}{path}", self.server);
        self.cmd("POST", "/url", Some(json!({ "url": url })));
    }

    fn script(&self, js: &str) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({"script": js, "args": []})),
        )
    }

    /// Waits (up to 20 s) until `js` returns true.
    fn wait(&self, what: &str, js: &str) {
        let start = Instant::now();
        while self.script(js) != true {
            assert!(start.elapsed() < Duration::from_secs(20), "never: {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Presses and releases the keys of `keys` (characters or WebDriver key codes) in turn.
    fn keys(&self, keys: &str) {
        let actions: Vec<Value> = keys
            .chars()
            .flat_map(|k| {
                [
                    json!({"type": "keyDown", "value": k.to_string()}),
                    json!({"type": "keyUp", "value": k.to_string()}),
                ]
            })
            .collect();
        self.cmd(
            "POST",
            "/actions",
            Some(json!({"actions": [{"type": "key", "id": "kbd", "actions": actions}]})),
        );
    }

    /// Ctrl+A: selects what the focused field holds.
    fn select_all(&self) {
        let actions = json!([
            {"type": "keyDown", "value": "\u{E009}"}, {"type": "keyDown", "value": "a"},
            {"type": "keyUp", "value": "a"}, {"type": "keyUp", "value": "\u{E009}"}]);
        self.cmd(
            "POST",
            "/actions",
            Some(json!({"actions": [{"type": "key", "id": "kbd", "actions": actions}]})),
        );
    }

    /// Presses Tab (Shift+Tab when `back`) until `js` holds of the focused element, at most
    /// `most` times.
    fn tab_to(&self, what: &str, js: &str, back: bool, most: usize) {
        let mut tabs = 0;
        while self.script(js) != true {
            if back {
                let actions = json!([
                    {"type": "keyDown", "value": "\u{E008}"}, {"type": "keyDown", "value": "\u{E004}"},
                    {"type": "keyUp", "value": "\u{E004}"}, {"type": "keyUp", "value": "\u{E008}"}]);
                self.cmd(
                    "POST",
                    "/actions",
                    Some(json!({"actions": [{"type": "key", "id": "kbd", "actions": actions}]})),
                );
            } else {
                self.keys("\u{E004}");
            }
            tabs += 1;
            assert!(
                tabs <= most,
                "{what} is not reachable with {most} presses of Tab"
            );
        }
    }

    /// The references of the elements `css` selects.
    fn elements(&self, css: &str) -> Vec<String> {
        let found = self.cmd(
            "POST",
            "/elements",
            Some(json!({"using": "css selector", "value": css})),
        );
        found
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e[ELEMENT].as_str().unwrap().to_owned())
            .collect()
    }

    fn click(&self, css: &str) {
        let [e] = self
            .elements(css)
            .try_into()
            .unwrap_or_else(|v: Vec<String>| panic!("{css} selects {} elements", v.len()));
        self.cmd("POST", &format!("/element/{e}/click"), Some(json!({})));
    }

    /// The window's width, in CSS pixels (Chromium's device metrics: the viewport an agent
    /// has at that width).
    fn width(&self, width: u32) {
        self.cmd(
            "POST",
            "/goog/cdp/execute",
            Some(
                json!({"cmd": "Emulation.setDeviceMetricsOverride", "params": {
                "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": false}}),
            ),
        );
    }

    fn screenshot(&self, name: &str) {
        let shot = self.cmd("GET", "/screenshot", None);
        let png = base64::engine::general_purpose::STANDARD
            .decode(shot.as_str().unwrap())
            .unwrap();
        assert!(png.starts_with(b"\x89PNG"));
        let out = common::root().join("output");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join(name), &png).unwrap();
    }

    /// axe-core's violations on the page now, one line each.
    fn axe(&self, axe: &str) -> Value {
        self.script(&format!("{axe}\nreturn true;"));
        self.cmd(
            "POST",
            "/execute/async",
            Some(json!({"script": "const done = arguments[arguments.length - 1];
                axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})
                  .then(r => done(r.violations.map(v => v.id + ' (' + v.nodes.length + '): ' + v.nodes.map(n => n.target.join(' ')).join(', '))))
                  .catch(e => done(['axe failed: ' + e]));", "args": []})),
        )
    }

    /// The ids of the notice rows shown.
    fn shown(&self) -> Value {
        self.script(
            "return Array.from(document.querySelectorAll('li.notice')).filter(li => li.getClientRects().length > 0).map(li => li.dataset.id)",
        )
    }
}

/// The PDF files in `dir` other than `known`, once one is complete: its name and bytes.
fn wait_for_new_pdf(dir: &std::path::Path, known: &[&str]) -> (String, Vec<u8>) {
    let start = Instant::now();
    loop {
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            if name.ends_with(".pdf") && !known.contains(&name.as_str()) {
                return (name.clone(), wait_for_file(dir, &name));
            }
        }
        assert!(start.elapsed() < Duration::from_secs(30), "no new download");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The titles of a PDF's outline with their depth (0: top), read with lopdf.
fn outline(pdf: &[u8]) -> Vec<(usize, String)> {
    fn walk(
        doc: &lopdf::Document,
        mut at: Option<lopdf::ObjectId>,
        depth: usize,
        out: &mut Vec<(usize, String)>,
    ) {
        let next =
            |d: &lopdf::Dictionary, key: &[u8]| d.get(key).ok().and_then(|o| o.as_reference().ok());
        while let Some(id) = at {
            let d = doc.get_dictionary(id).unwrap();
            out.push((
                depth,
                lopdf::decode_text_string(d.get(b"Title").unwrap()).unwrap(),
            ));
            walk(doc, next(d, b"First"), depth + 1, out);
            at = next(d, b"Next");
        }
    }
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let root = doc
        .catalog()
        .unwrap()
        .get(b"Outlines")
        .unwrap()
        .as_reference()
        .unwrap();
    let first = doc
        .get_dictionary(root)
        .unwrap()
        .get(b"First")
        .unwrap()
        .as_reference()
        .unwrap();
    let mut out = Vec::new();
    walk(&doc, Some(first), 0, &mut out);
    out
}

#[test]
fn an_agent_finds_and_hands_out_notices_on_a_floor_of_31_in_a_real_browser() {
    let data = common::scratch("browser-floor").join("data");
    let ids = common::generated::write_floor(&common::collection_dir(), &data);
    assert_eq!(ids.len(), 31);
    let srv = start(&data);
    let downloads = common::scratch("browser-floor-downloads");
    let d = chrome(downloads.to_str().unwrap());
    let p = Page::new(&d, &srv.addr);
    let a = srv.addr.as_str();
    let axe = axe_source();
    let list: Vec<Value> = serde_json::from_slice(&common::http::get(a, "/notices").body).unwrap();
    let info = |id: &str| list.iter().find(|n| n["id"] == id).unwrap().clone();
    assert!(
        info("tjanster")["editions"]["standard"]["pages"]
            .as_u64()
            .unwrap()
            >= 10
    );

    // Reflow (WCAG 1.4.10): nothing scrolls sideways at 320, 390 or 1 280 px, on the page of
    // 31 notices, on the page showing the ten-page notice alone, and in its preview.
    for width in [320, 390, 1280] {
        p.width(width);
        for path in ["/", "/?q=sparkonto+fonder", "/notices/tjanster.html"] {
            p.go(path);
            let sizes = p.script(
                "const e = document.documentElement; return [e.scrollWidth, e.clientWidth, document.body.scrollWidth]",
            );
            let [scroll, client, body] = [0, 1, 2].map(|i| sizes[i].as_u64().unwrap());
            assert!(
                scroll <= client && body <= client,
                "{path} at {width} px: {scroll} px wide (body {body}) in {client}"
            );
            if path.starts_with("/?") || path == "/" {
                // No element sticks out of the window either (a table would scroll itself).
                let right = p.script(
                    "return Math.max(...Array.from(document.querySelectorAll('body *')).map(e => e.getBoundingClientRect().right))",
                );
                assert!(
                    right.as_f64().unwrap() <= client as f64 + 0.5,
                    "{path} at {width} px: an element reaches {right} px"
                );
            }
            if path.starts_with("/?") {
                assert_eq!(p.shown(), json!(["tjanster"]), "{path}");
            }
        }
        p.go("/");
        p.screenshot(&format!("agent-page-{width}.png"));
        if width != 390 {
            assert_eq!(p.axe(&axe), json!([]), "axe on / at {width} px");
        }
    }

    // Find with the keyboard: Tab to the search, type; the list shows what /?q= shows.
    p.go("/");
    p.wait(
        "the page's script",
        "return document.querySelector('button.copy:not([hidden])') !== null",
    );
    p.tab_to(
        "the search box",
        "return document.activeElement.id === 'sok'",
        false,
        8,
    );
    p.keys("samtal");
    p.wait(
        "the filtered list",
        "return document.getElementById('antal').textContent.startsWith('2 av 31')",
    );
    let server: Vec<String> = {
        let page = common::http::get(a, "/?q=samtal").text();
        page.match_indices("<li class=\"notice\" data-id=\"")
            .filter(|(at, _)| !page[*at..at + page[*at..].find('>').unwrap()].contains("hidden"))
            .map(|(at, m)| {
                let rest = &page[at + m.len()..];
                rest[..rest.find('"').unwrap()].to_owned()
            })
            .collect()
    };
    assert_eq!(server, ["tjanster", "rik"]);
    assert_eq!(
        p.shown(),
        json!(server),
        "the script shows what the server shows"
    );
    assert_eq!(p.script("return location.search"), "?q=samtal");
    assert_eq!(
        p.script("return document.getElementById('antal').textContent"),
        "2 av 31 dokument matchar ”samtal”."
    );
    let visible_groups = p.script(
        "return Array.from(document.querySelectorAll('fieldset.group')).filter(g => !g.hidden).length",
    );
    assert_eq!(visible_groups, 2);

    // One notice, chosen with the keyboard: the notice itself.
    p.tab_to(
        "rik's checkbox",
        "return document.activeElement.id === 'val-rik'",
        false,
        10,
    );
    p.keys("\u{E00D}");
    p.tab_to(
        "Ladda ner valda (PDF)",
        "return document.activeElement.matches('button[value=standard]:not([formaction])')",
        false,
        6,
    );
    p.keys("\u{E007}");
    let rik_name = "integritetsinformation-rik-2024-05-02.pdf";
    let rik = wait_for_file(&downloads, rik_name);
    assert_eq!(rik, common::http::get(a, "/notices/rik.pdf").body);

    // Two more, each found by a search: three chosen are a pack of exactly those three.
    for (query, id) in [("kort spärr", "kort"), ("kamera", "kamera")] {
        p.tab_to(
            "the search box",
            "return document.activeElement.id === 'sok'",
            true,
            12,
        );
        p.select_all();
        p.keys(query);
        p.wait(
            query,
            &format!(
                "return Array.from(document.querySelectorAll('li.notice')).filter(li => !li.hidden).map(li => li.dataset.id).join() === '{id}'"
            ),
        );
        p.tab_to(
            id,
            &format!("return document.activeElement.id === 'val-{id}'"),
            false,
            4,
        );
        p.keys("\u{E00D}");
    }
    let chosen = "ids=rik,kort,kamera";
    let pages = |edition: &str| -> u64 {
        let r = common::http::get(a, &format!("/pack.json?{chosen}&edition={edition}"));
        let v: Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(v["notices"], json!(["rik", "kort", "kamera"]));
        v["pages"].as_u64().unwrap()
    };
    let said = format!(
        "3 dokument valda: {} sidor, i stor stil {} sidor.",
        pages("standard"),
        pages("large")
    );
    p.wait(
        &said,
        &format!("return document.getElementById('valda').textContent === '{said}'"),
    );
    p.tab_to(
        "Ladda ner valda (PDF)",
        "return document.activeElement.matches('button[value=standard]:not([formaction])')",
        false,
        6,
    );
    p.keys("\u{E007}");
    let (pack_name, pack) = wait_for_new_pdf(&downloads, &[rik_name]);
    assert_eq!(
        pack,
        common::http::get(a, &format!("/pack.pdf?{chosen}")).body
    );
    assert!(
        pack_name.starts_with("integritetsinformation-2024-"),
        "{pack_name}"
    );
    let verdict = notice_pdf::verify::verify(&pack).unwrap();
    let held: Vec<&str> = verdict.held.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(held, ["rik", "kort", "kamera"]);
    let chapters: Vec<String> = outline(&pack)
        .into_iter()
        .filter(|(depth, _)| *depth == 1)
        .map(|(_, title)| title)
        .collect();
    let titles: Vec<String> = ["rik", "kort", "kamera"]
        .map(|id| info(id)["title"].as_str().unwrap().to_owned())
        .to_vec();
    assert_eq!(chapters, titles, "exactly those three chapters");
    common::assert_verapdf_passes(&[&downloads.join(rik_name), &downloads.join(&pack_name)]);

    // The web address, copied for an agent who sends a link.
    p.tab_to(
        "Kopiera webbadress till Kameraövervakning på kontoret",
        "return document.activeElement.classList.contains('copy')",
        true,
        2,
    );
    p.keys("\u{E007}");
    p.wait(
        "the address copied",
        "return document.getElementById('kopierat').textContent === 'Webbadressen är kopierad: https://www.exempelbanken.se/integritet/kamera.html'",
    );

    // Every control's accessible name (as Chromium computes it) is its own.
    p.go("/");
    p.wait(
        "the page's script",
        "return document.querySelector('button.copy:not([hidden])') !== null",
    );
    let mut names = std::collections::BTreeSet::new();
    let controls = p.elements("a[href], button, input:not([type=hidden])");
    for e in &controls {
        if p.cmd("GET", &format!("/element/{e}/displayed"), None) != true {
            continue;
        }
        let name = p.cmd("GET", &format!("/element/{e}/computedlabel"), None);
        let name = name.as_str().unwrap().trim().to_owned();
        assert!(!name.is_empty(), "a control with no name");
        assert!(
            names.insert(name.clone()),
            "two controls are named {name:?}"
        );
    }
    assert!(names.len() > 31 * 3, "{names:?}");
    for want in [
        "Kontakt med Exempelbankens kundtjänst",
        "Förhandsvisa Kontakt med Exempelbankens kundtjänst",
        "Kopiera webbadress till Kontakt med Exempelbankens kundtjänst",
        "Ladda ner valda (PDF)",
        "Valda i stor stil (PDF)",
    ] {
        assert!(names.contains(want), "{want:?} in {names:?}");
    }

    // Nothing chosen: said next to the buttons, and nothing is sent.
    p.click("button[value=standard]:not([formaction])");
    p.wait(
        "the empty choice said",
        "return document.getElementById('valfel').textContent === 'Välj minst ett dokument.'",
    );
    assert_eq!(p.script("return location.pathname"), "/");

    // axe-core on the search and on the page an empty choice answers without script.
    for path in ["/?q=samtal", "/pack.pdf?valda=1&edition=standard"] {
        p.go(path);
        assert_eq!(p.axe(&axe), json!([]), "axe on {path}");
    }
}

#[test]
fn an_agent_hands_out_a_notice_in_both_editions_with_the_keyboard_without_a_collection() {
    let data = common::scratch("browser-data");
    std::fs::copy(common::fixture_file(), data.join("kundservice.toml")).unwrap();
    let srv = start(&data);
    let downloads = common::scratch("browser-downloads");
    let d = chrome(downloads.to_str().unwrap());
    let p = Page::new(&d, &srv.addr);
    p.go("/");
    // The header says whose it is: the notice's publisher, without a collection.
    assert_eq!(
        p.cmd("GET", "/title", None),
        "Integritetsinformation – kundservice"
    );
    assert_eq!(
        p.script("return document.querySelector('header .brand').textContent"),
        "Avanza"
    );
    p.screenshot("agent-page.png");

    // Keyboard only: Tab to the checkbox, Space, Tab to "Ladda ner valda (PDF)", Enter.
    p.tab_to(
        "the notice's checkbox",
        "return document.activeElement.id === 'val-kundservice'",
        false,
        6,
    );
    p.keys("\u{E00D}");
    p.tab_to(
        "Ladda ner valda (PDF)",
        "return document.activeElement.matches('button[value=standard]:not([formaction])')",
        false,
        6,
    );
    p.keys("\u{E007}");
    let pdf = wait_for_file(
        &downloads,
        "integritetsinformation-kundservice-2023-03-20.pdf",
    );
    assert_eq!(pdf, common::render_real().pdf);
    // Large print: the next button.
    p.keys("\u{E004}");
    assert_eq!(
        p.script("return document.activeElement.matches('button[value=large]')"),
        true
    );
    p.keys("\u{E007}");
    let large = wait_for_file(
        &downloads,
        "integritetsinformation-kundservice-2023-03-20-stor-stil.pdf",
    );
    assert_eq!(
        large,
        common::render_edition(notice_pdf::Edition::Large).pdf
    );
    common::assert_verapdf_passes(&[
        &downloads.join("integritetsinformation-kundservice-2023-03-20.pdf"),
        &downloads.join("integritetsinformation-kundservice-2023-03-20-stor-stil.pdf"),
    ]);
    // Audit lines are settled within a second of the answer (src/serve/audit.rs): the notice,
    // as its own route audits it.
    let version_id = &notice_pdf::sha256_hex(&std::fs::read(common::fixture_file()).unwrap())[..8];
    let line = format!(
        "audit: issued id=kundservice version=2023-03-20 version_id={version_id} edition=large"
    );
    let start = Instant::now();
    while !srv.log.lock().unwrap().contains(&line) {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{}",
            srv.log.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// axe-core (npm, installed by `tests/run-all.sh` into `target/axe`), the accessibility
/// engine browsers' own tools use.
fn axe_source() -> String {
    let path = common::root().join("target/axe/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; `bash tests/run-all.sh` installs axe-core",
            path.display()
        )
    })
}

#[test]
fn axe_finds_no_violation_on_the_page_and_the_html_alternatives() {
    // Rik changed since a build: its alternatives end with "Vad har ändrats" (del, ins).
    let (data, out) = common::changed_rik("browser-axe", true);
    let srv = common::http::start_with(&data, &["--versions", out.to_str().unwrap()]);
    let downloads = common::scratch("browser-axe-downloads");
    let d = chrome(downloads.to_str().unwrap());
    let s = format!("/session/{}", d.session);
    let axe = axe_source();
    for path in [
        "/",
        "/notices/rik.html",
        "/notices/tjanster.html",
        "/pack.html",
    ] {
        wd(
            &d.addr,
            "POST",
            &format!("{s}/url"),
            Some(json!({"url": format!("http://{}{path}", srv.addr)})),
        );
        wd(
            &d.addr,
            "POST",
            &format!("{s}/execute/sync"),
            Some(json!({"script": format!("{axe}\nreturn true;"), "args": []})),
        );
        let violations = wd(
            &d.addr,
            "POST",
            &format!("{s}/execute/async"),
            Some(
                json!({"script": "const done = arguments[arguments.length - 1];
                axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})
                  .then(r => done(r.violations.map(v => v.id + ' (' + v.nodes.length + '): ' + v.nodes.map(n => n.target.join(' ')).join(', '))))
                  .catch(e => done(['axe failed: ' + e]));", "args": []}),
            ),
        );
        assert_eq!(violations, json!([]), "{path}");
    }
    // The HTML alternative is the notice: its language, its headings, no script.
    let html = common::http::get(&srv.addr, "/notices/rik.html").text();
    assert!(html.starts_with("<!DOCTYPE html><html lang=\"sv-SE\">"));
    assert!(html.contains("<h1 id=\"rik\">Kontakt med Exempelbankens kundtjänst</h1>"));
    assert!(!html.contains("<script"));
    assert!(html.contains("<ins>tre</ins>"), "{html}");
    assert!(html.contains("<del>I sex månader."), "{html}");
}
