import VigilCore

/// The one page anyone sees without logging in: role and PIN. `formToken` is the login form's
/// own anti-forgery token (a login cannot carry a session's yet); `next` is where to go after.
public enum LoginPage {
    public static func render(formToken: String, next: String?, message: String? = nil, noLogins: Bool = false) -> String {
        let roles = [(Role.nurse, "Nurse"), (.doula, "Doula"), (.provider, "Medical provider")]
        let options = roles.map { "<option value=\"\($0.0.rawValue)\">\($0.1)</option>" }.joined()
        var content = "<form class=\"login\" method=\"post\" action=\"/login\">\n<h1>Log in</h1>\n"
        if let message { content += "<p class=\"error-box\" role=\"alert\" id=\"login-error\">\(HTML.escape(message))</p>\n" }
        if noLogins {
            content += "<p class=\"error-box\">No logins are configured for this room: add <code>http.logins</code> to vigil.yaml (vigil hash-pin makes a PIN's hash).</p>\n"
        }
        content += """
        <input type="hidden" name="csrf" value="\(HTML.escape(formToken))">
        <input type="hidden" name="next" value="\(HTML.escape(next ?? "/"))">
        <label for="role">Role</label>
        <select id="role" name="role">\(options)</select>
        <label for="pin">PIN</label>
        <input id="pin" name="pin" type="password" inputmode="numeric" autocomplete="current-password" required autofocus>
        <button type="submit" id="login">Log in</button>
        <p class="hint">Vital signs are health data: log out when you leave the screen.</p>
        </form>
        """
        return Layout.page(title: "Log in", viewer: nil, content: content)
    }
}
