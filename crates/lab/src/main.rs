//! `why401-lab [--host 127.0.0.1] [--port 8081] [--dist DIR --app-port 8080]`

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use tokio::net::TcpListener;

const USAGE: &str = "usage: why401-lab [--host ADDR] [--port PORT] [--dist DIR [--app-port PORT]]

Serves the why401 scenario lab on http://ADDR:PORT (default 127.0.0.1:8081).
With --dist, also serves that built app directory on http://ADDR:APP_PORT (default 8080).";

struct Options {
    host: String,
    port: u16,
    dist: Option<PathBuf>,
    app_port: u16,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut options = Options {
        host: "127.0.0.1".to_owned(),
        port: 8081,
        dist: None,
        app_port: 8080,
    };
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--host" => options.host = value()?,
            "--port" => options.port = parse_port(&value()?)?,
            "--dist" => options.dist = Some(PathBuf::from(value()?)),
            "--app-port" => options.app_port = parse_port(&value()?)?,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(options)
}

fn parse_port(text: &str) -> Result<u16, String> {
    text.parse()
        .map_err(|_| format!("{text} is not a port number"))
}

async fn bind(host: &str, port: u16) -> Result<TcpListener, String> {
    let addr: SocketAddr = format!("{host}:{port}")
        .parse()
        .map_err(|_| format!("{host} is not an IP address"))?;
    TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))
}

#[tokio::main]
async fn main() -> ExitCode {
    let options = match parse_args(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("why401-lab: {message}");
            }
            eprintln!("{USAGE}");
            return if message.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            };
        }
    };
    match run(options).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("why401-lab: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(options: Options) -> Result<(), String> {
    let lab = bind(&options.host, options.port).await?;
    eprintln!(
        "why401 lab: http://{}/ ({} scenarios)",
        lab.local_addr().map_err(|e| e.to_string())?,
        why401_lab::SCENARIOS.len()
    );
    let lab = tokio::spawn(why401_lab::serve(lab, why401_lab::lab_router()));
    let app = match options.dist {
        Some(dist) => {
            if !dist.join("index.html").is_file() {
                return Err(format!(
                    "{} has no index.html: build the app first (make dist)",
                    dist.display()
                ));
            }
            let listener = bind(&options.host, options.app_port).await?;
            eprintln!(
                "why401 app: http://{}/ (from {})",
                listener.local_addr().map_err(|e| e.to_string())?,
                dist.display()
            );
            Some(tokio::spawn(why401_lab::serve(
                listener,
                why401_lab::app_router(dist),
            )))
        }
        None => None,
    };
    tokio::select! {
        result = lab => result.map_err(|e| e.to_string())?.map_err(|e| e.to_string()),
        result = async { match app { Some(app) => app.await, None => std::future::pending().await } } => {
            result.map_err(|e| e.to_string())?.map_err(|e| e.to_string())
        }
        _ = tokio::signal::ctrl_c() => Ok(()),
    }
}
