/// A page that only says something went wrong (a session that does not exist, a role that may
/// not open a page), with the way back. With a login, the header offers its logout, and the
/// way back is the role's first page; a role with no page on this server (a doula at the clinic
/// station) gets no link, which would only lead back here.
public enum MessagePage {
    public static func render(title: String, message: String, viewer: Viewer? = nil) -> String {
        let back = viewer.map { $0.home.map { "<p><a href=\"\($0)\">Back to your page</a></p>" } ?? "" }
            ?? "<p><a href=\"/\">Back to Vigil</a></p>"
        return Layout.page(title: title, viewer: viewer, content: """
        <section class="login"><h1>\(HTML.escape(title))</h1><p>\(HTML.escape(message))</p>\(back)</section>
        """)
    }
}
