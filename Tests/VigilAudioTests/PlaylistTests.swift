import Testing
import VigilAudio
import VigilCore

@Suite("Playlists")
struct PlaylistTests {
    @Test("Phase cues divide an M3U8 into sections; paths are relative to the playlist")
    func sections() throws {
        let p = try Playlist.parse("""
            #EXTM3U
            #EXTINF:300,Arrival
            arrival.flac
            #VIGIL-PHASE:onset
            onset/one.ogg
            #VIGIL-PHASE:peak
            peak/one.ogg
            /srv/music/peak-two.mp3
            """, file: "demo.m3u8", folder: "/srv/Playlists")
        #expect(p.tracks.map(\.path) == ["/srv/Playlists/arrival.flac", "/srv/Playlists/onset/one.ogg",
                                         "/srv/Playlists/peak/one.ogg", "/srv/music/peak-two.mp3"])
        #expect(p.tracks[0].title == "Arrival")
        #expect(p.tracks(for: .peak) == 2..<4)
        #expect(p.tracks(for: .onset) == 1..<2)
        #expect(p.tracks(for: .recovery) == 0..<1, "a phase without a section plays the tracks before the first cue")
    }

    @Test("An unknown phase names the file and line")
    func unknownPhase() {
        let error = #expect(throws: ConfigProblems.self) { try Playlist.parse("a.wav\n#VIGIL-PHASE:climax\n", file: "x.m3u8", folder: "/") }
        #expect(error?.problems.first?.description.hasPrefix("x.m3u8:2: VIGIL-PHASE: \"climax\" is not one of") == true)
    }
}
