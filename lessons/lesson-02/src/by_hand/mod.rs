//! The same chat built by hand on plain WebSockets (the `blocking`, `async`,
//! `socket2` and `client` modes): what socket.io gives you, written out.
