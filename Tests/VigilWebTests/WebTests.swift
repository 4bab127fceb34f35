// Web API tests come with the server.
import Testing
