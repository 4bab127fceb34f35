/// A page that only says something went wrong (a session that does not exist, a role that may
/// not open a page), with the way back.
public enum MessagePage {
    public static func render(title: String, message: String) -> String {
        Layout.page(title: title, viewer: nil, content: """
        <section class="login"><h1>\(HTML.escape(title))</h1><p>\(HTML.escape(message))</p><p><a href="/">Back to Vigil</a></p></section>
        """)
    }
}
