import VigilCore

/// The shell every page shares: the dark theme, the room and role in the header, the pages the
/// role may open, and logout. `styles` are extra stylesheets after `vigil.css`; `scripts` are
/// asset names loaded at the end of the body.
public enum Layout {
    public static func page(title: String, viewer: Viewer?, current: String = "", bodyClass: String = "",
                            styles: [String] = [], scripts: [String] = [], content: String) -> String {
        var head = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTML.escape(title)) · Vigil</title>
        <link rel="stylesheet" href="/assets/vigil.css">
        <link rel="stylesheet" href="/assets/print.css" media="print">
        """
        for style in styles { head += "\n<link rel=\"stylesheet\" href=\"/assets/\(HTML.escape(style))\">" }
        if let viewer { head += "\n<meta name=\"csrf-token\" content=\"\(HTML.escape(viewer.csrfToken))\">" }
        head += "\n</head>\n<body class=\"\(HTML.escape(bodyClass))\">\n"
        var header = "<header class=\"top\"><span class=\"brand\">Vigil</span>"
        if let viewer {
            header += "<span class=\"room\">\(HTML.escape(viewer.room))</span><nav>"
            for page in viewer.pages {
                let here = page.path == current ? " aria-current=\"page\"" : ""
                header += "<a href=\"\(page.path)\"\(here)>\(HTML.escape(page.title))</a>"
            }
            header += "</nav><form method=\"post\" action=\"/logout\" class=\"logout\">"
                + "<input type=\"hidden\" name=\"csrf\" value=\"\(HTML.escape(viewer.csrfToken))\">"
                + "<span class=\"who\">\(HTML.escape(viewer.role.rawValue))</span>"
                + "<button type=\"submit\">Log out</button></form>"
        }
        header += "</header>\n"
        let tail = scripts.map { "<script src=\"/assets/\(HTML.escape($0))\"></script>" }.joined(separator: "\n")
        return head + header + "<main>\n" + content + "\n</main>\n" + tail + "\n</body>\n</html>\n"
    }
}
