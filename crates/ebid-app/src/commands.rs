//! The app's command list ([`crate::with_app_commands`]) as data, and what is written from it: the
//! front end's typed wrappers (`ui/src/lib/api.ts`) and the window's capability, which allows exactly these
//! commands and nothing else. Both files are written by `cargo xtask bindings` and checked by a test
//! (`crate::bindings`), so that adding a command is one line of the list and one method of `Controller`.

/// One command as the webview calls it, its types as the list writes them.
#[derive(Debug, Clone, Copy)]
pub struct CommandSpec {
    pub name: &'static str,
    /// Each argument's name and type.
    pub args: &'static [(&'static str, &'static str)],
    pub answer: &'static str,
}

macro_rules! specs {
    ($($name:ident ($($arg:ident : $ty:ty),*) -> $answer:ty;)*) => {
        &[$(CommandSpec {
            name: stringify!($name),
            args: &[$((stringify!($arg), stringify!($ty))),*],
            answer: stringify!($answer),
        }),*]
    };
}

/// Every command, in the list's order.
pub const COMMANDS: &[CommandSpec] = crate::with_app_commands!(specs);

/// Where the generated files live, from the workspace root.
pub const API_PATH: &str = "ui/src/lib/api.ts";
pub const CAPABILITY_PATH: &str = "src-tauri/capabilities/default.json";

/// `ui/src/lib/api.ts`: one typed wrapper a command, arguments passed as one object.
pub fn typescript_api() -> String {
    let mut imported: Vec<String> = Vec::new();
    let mut entries = String::new();
    for command in COMMANDS {
        let args: Vec<String> = command
            .args
            .iter()
            .map(|(name, ty)| format!("{}: {}", camel_case(name), ts_type(ty, &mut imported)))
            .collect();
        let answer = ts_type(command.answer, &mut imported);
        let (parameters, passed) = if args.is_empty() {
            (String::new(), String::new())
        } else {
            (
                format!("args: {{ {} }}", args.join("; ")),
                ", args".to_owned(),
            )
        };
        entries.push_str(&format!(
            "  {}: ({parameters}) => invoke<{answer}>('{}'{passed}),\n",
            camel_case(command.name),
            command.name
        ));
    }
    imported.sort();
    imported.dedup();
    let channel = if imported.iter().any(|t| t == "Channel") {
        ", type Channel"
    } else {
        ""
    };
    imported.retain(|t| t != "Channel");
    format!(
        "// Generated from crates/ebid-app/src/command_list.rs by `cargo xtask bindings`. Do not edit: a test fails when stale.\n\
         // Every command of the shell, typed. Each rejects with an AppError (lib/messages.ts: isAppError).\n\
         import {{ invoke{channel} }} from '@tauri-apps/api/core';\n\
         import type {{ {} }} from './bindings';\n\
         \n\
         export const api = {{\n{entries}}};\n",
        imported.join(", ")
    )
}

/// `src-tauri/capabilities/default.json`: the main window may call the app's commands, and nothing else.
pub fn capability() -> String {
    let permissions: Vec<String> = COMMANDS
        .iter()
        .map(|command| format!("allow-{}", command.name.replace('_', "-")))
        .collect();
    let capability = serde_json::json!({
        "$schema": "../../gen/schemas/desktop-schema.json",
        "identifier": "main-window",
        "description": "The main window: the app's own commands (crates/ebid-app/src/command_list.rs; progress comes over their channels). Nothing else: no events, no file system, no shell, no HTTP from the webview. Written by `cargo xtask bindings`.",
        "windows": ["main"],
        "permissions": permissions,
    });
    // A map of strings and arrays of strings always serializes.
    let mut text = serde_json::to_string_pretty(&capability).unwrap_or_default();
    text.push('\n');
    text
}

/// The TypeScript of a type as the list writes it; a type of the bindings is noted in `imported`.
fn ts_type(rust: &str, imported: &mut Vec<String>) -> String {
    let rust: String = rust.chars().filter(|c| !c.is_whitespace()).collect();
    match rust.as_str() {
        // The PIN crosses as a string and lands in a zeroizing buffer (`PinInput`).
        "String" | "PinInput" => "string".to_owned(),
        "()" => "null".to_owned(),
        _ if rust.starts_with("Vec<") && rust.ends_with('>') => {
            format!("Array<{}>", ts_type(&rust[4..rust.len() - 1], imported))
        }
        _ => {
            for name in rust.split(['<', '>', ',']).filter(|n| !n.is_empty()) {
                imported.push(name.to_owned());
            }
            rust
        }
    }
}

fn camel_case(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_is_called_with_its_arguments_in_camel_case() {
        let api = typescript_api();
        assert!(
            api.contains(
                "  loginCurrent: (args: { reader: string; pin: string; operator: string }) => invoke<MenuView>('login_current', args),\n"
            ),
            "{api}"
        );
        assert!(
            api.contains("  back: () => invoke<null>('back'),\n"),
            "{api}"
        );
        assert!(
            api.contains(
                "  beginPass: (args: { places: Array<Choice> }) => invoke<ClockView>('begin_pass', args),\n"
            ),
            "{api}"
        );
        assert!(
            api.contains("import { invoke, type Channel } from '@tauri-apps/api/core';"),
            "{api}"
        );
    }

    #[test]
    fn every_type_the_commands_name_is_in_the_bindings() {
        let bindings = crate::bindings::typescript();
        let mut imported = Vec::new();
        for command in COMMANDS {
            for (_, ty) in command.args {
                ts_type(ty, &mut imported);
            }
            ts_type(command.answer, &mut imported);
        }
        for name in imported.iter().filter(|n| *n != "Channel") {
            assert!(
                bindings.contains(&format!("export type {name} ")),
                "{name} is named by a command but not generated into the bindings"
            );
        }
    }

    #[test]
    fn the_capability_allows_each_command_once() {
        let capability: serde_json::Value = serde_json::from_str(&capability()).unwrap();
        let permissions = capability["permissions"].as_array().unwrap();
        assert_eq!(permissions.len(), COMMANDS.len());
        assert!(permissions.contains(&serde_json::json!("allow-locate-current-card")));
    }
}
