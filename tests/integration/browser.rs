//! A real browser (issue 4): headless Chromium, driven over WebDriver by chromedriver, opens
//! the agents' page, reaches "Ladda ner PDF" with the keyboard alone, downloads the PDF and
//! then the large-print one with a click; both pass veraPDF. A screenshot of the page goes to
//! `output/agent-page.png` for a human to look at.
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

#[test]
fn an_agent_downloads_the_pdf_with_the_keyboard_in_a_real_browser() {
    let data = common::scratch("browser-data");
    std::fs::copy(common::fixture_file(), data.join("kundservice.toml")).unwrap();
    let srv = start(&data);
    let downloads = common::scratch("browser-downloads");
    let d = chrome(downloads.to_str().unwrap());
    let s = format!("/session/{}", d.session);

    wd(
        &d.addr,
        "POST",
        &format!("{s}/url"),
        Some(json!({"url": format!("http://{}/", srv.addr)})),
    );
    assert_eq!(
        wd(&d.addr, "GET", &format!("{s}/title"), None),
        "Integritetsinformation – kundservice"
    );

    // Every page thumbnail has loaded and has pixels.
    let start = Instant::now();
    let all_loaded = json!({"script": "return document.images.length > 0 && Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)", "args": []});
    while wd(
        &d.addr,
        "POST",
        &format!("{s}/execute/sync"),
        Some(all_loaded.clone()),
    ) != true
    {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "thumbnails did not load"
        );
        std::thread::sleep(Duration::from_millis(100));
    }

    // Look at it: a screenshot for humans.
    let shot = wd(&d.addr, "GET", &format!("{s}/screenshot"), None);
    let png = base64::engine::general_purpose::STANDARD
        .decode(shot.as_str().unwrap())
        .unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    let out = common::root().join("output");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("agent-page.png"), &png).unwrap();

    // Keyboard only: Tab until "Ladda ner PDF" has focus, then Enter.
    let key = |k: &str| {
        let actions = json!({"actions": [{"type": "key", "id": "kbd", "actions": [
            {"type": "keyDown", "value": k}, {"type": "keyUp", "value": k}]}]});
        wd(&d.addr, "POST", &format!("{s}/actions"), Some(actions));
    };
    let focused = || {
        wd(
            &d.addr,
            "POST",
            &format!("{s}/execute/sync"),
            Some(json!({"script": "return document.activeElement.textContent.trim()", "args": []})),
        )
    };
    let mut tabs = 0;
    while focused() != "Ladda ner PDF" {
        key("\u{E004}");
        tabs += 1;
        assert!(tabs <= 6, "'Ladda ner PDF' is not reachable with Tab");
    }
    key("\u{E007}");
    let pdf = wait_for_file(
        &downloads,
        "integritetsinformation-kundservice-2023-03-20.pdf",
    );
    assert_eq!(pdf, common::render_real().pdf);

    // A click on "Stor stil (PDF)".
    let el = wd(
        &d.addr,
        "POST",
        &format!("{s}/element"),
        Some(json!({"using": "link text", "value": "Stor stil (PDF)"})),
    );
    let id = el
        .as_object()
        .unwrap()
        .values()
        .next()
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned();
    wd(
        &d.addr,
        "POST",
        &format!("{s}/element/{id}/click"),
        Some(json!({})),
    );
    let large = wait_for_file(
        &downloads,
        "integritetsinformation-kundservice-2023-03-20-stor-stil.pdf",
    );

    let files = [
        downloads.join("integritetsinformation-kundservice-2023-03-20.pdf"),
        downloads.join("integritetsinformation-kundservice-2023-03-20-stor-stil.pdf"),
    ];
    assert!(large.starts_with(b"%PDF"));
    common::assert_verapdf_passes(&[&files[0], &files[1]]);
    // Audit lines are settled within a second of the answer (src/serve/audit.rs).
    let version_id = &notice_pdf::sha256_hex(&std::fs::read(common::fixture_file()).unwrap())[..8];
    let line = format!(
        "audit: issued id=kundservice version=2023-03-20 version_id={version_id} edition=large"
    );
    let start = std::time::Instant::now();
    while !srv.log.lock().unwrap().contains(&line) {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{}",
            srv.log.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn an_agent_chooses_notices_with_the_keyboard_and_downloads_them_as_one_pdf() {
    // The fictional bank's collection.
    let data = common::scratch("browser-pack-data");
    common::copy_collection(&data);
    let srv = start(&data);
    let downloads = common::scratch("browser-pack-downloads");
    let d = chrome(downloads.to_str().unwrap());
    let s = format!("/session/{}", d.session);
    wd(
        &d.addr,
        "POST",
        &format!("{s}/url"),
        Some(json!({"url": format!("http://{}/", srv.addr)})),
    );
    let key = |k: &str| {
        let actions = json!({"actions": [{"type": "key", "id": "kbd", "actions": [
            {"type": "keyDown", "value": k}, {"type": "keyUp", "value": k}]}]});
        wd(&d.addr, "POST", &format!("{s}/actions"), Some(actions));
    };
    let script = |js: &str| {
        wd(
            &d.addr,
            "POST",
            &format!("{s}/execute/sync"),
            Some(json!({"script": js, "args": []})),
        )
    };
    let tab_to = |what: &str, js: &str| {
        let mut tabs = 0;
        while script(js) != true {
            key("\u{E004}");
            tabs += 1;
            assert!(tabs <= 30, "{what} is not reachable with Tab");
        }
    };
    // Keyboard only: Tab to each checkbox and tick it with Space.
    for id in ["val-kundkannedom", "val-rik"] {
        tab_to(id, &format!("return document.activeElement.id === '{id}'"));
        key("\u{E00D}");
    }
    assert_eq!(
        script(
            "return Array.from(document.querySelectorAll('input[name=ids]:checked')).map(b => b.value).join(',')"
        ),
        "kundkannedom,rik"
    );
    // The button says how many pages the choice makes, as the pack has.
    let pages = {
        let r = common::http::get(&srv.addr, "/pack.json?ids=rik,kundkannedom");
        let v: Value = serde_json::from_slice(&r.body).unwrap();
        v["pages"].as_u64().unwrap()
    };
    let label = format!("Ladda ner valda ({pages} sidor)");
    let start = Instant::now();
    while script("return document.querySelector('button[value=standard]').textContent.trim()")
        != label.as_str()
    {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the button never said {label:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    tab_to(
        "Ladda ner valda",
        "return document.activeElement.textContent.trim().startsWith('Ladda ner valda')",
    );
    key("\u{E007}");
    let name = "integritetsinformation-2024-05-02.pdf";
    let pdf = wait_for_file(&downloads, name);
    assert_eq!(
        pdf,
        common::http::get(&srv.addr, "/pack.pdf?ids=kundkannedom,rik").body
    );
    common::assert_verapdf_passes(&[&downloads.join(name)]);
    let start = Instant::now();
    while !srv
        .log
        .lock()
        .unwrap()
        .contains("audit: issued pack=integritetsinformation notices=kundkannedom@c486d6a9,rik@8667bc10 edition=standard")
    {
        assert!(start.elapsed() < Duration::from_secs(10), "{}", srv.log.lock().unwrap());
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
