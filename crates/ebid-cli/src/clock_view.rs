//! The server's date and time as the manual's top bar shows it, and the warning when the PC's clock is off.

use ebid_workflow::{ServerClock, jst_minutes};

pub fn print(clock: &ServerClock) {
    println!("サーバーの日時: {}", jst_minutes(clock.now()));
    if clock.pc_clock_is_off() {
        let minutes = clock.skew().whole_minutes();
        let (how, by) = if minutes > 0 {
            ("遅れて", minutes)
        } else {
            ("進んで", -minutes)
        };
        println!(
            "注意: このPCの時計はサーバーより約{by}分{how}います。ICカードの有効期限はサーバーの日時で判断されます。"
        );
    }
}
