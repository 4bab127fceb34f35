import VigilAudio

extension Doctor {
    /// The patient's music device opens as the player opens it, and the staff chime's device
    /// opens too and is not the same sound device (the chime would cut into the headphones).
    static func sound(_ audio: AudioSettings?) -> [DoctorCheck] {
        guard let audio else { return [.ok("music", "no music configured (no audio: section)")] }
        let music = SoundDeviceProbe.open(audio.device)
        defer { if case .success(let handle) = music { handle.close() } }
        var checks = [musicLine(music, audio.device)]
        if let chime = audio.chimeDevice {
            let opened = SoundDeviceProbe.open(chime)
            defer { if case .success(let handle) = opened { handle.close() } }
            checks.append(chimeLine(opened, chime, music: music))
        } else {
            checks.append(.ok("chime", "none configured: alarms show on the pages and the broker, and do not sound in the room"))
        }
        return checks
    }

    static func describe(_ opened: SoundDeviceProbe.Opened) -> String {
        guard let card = opened.card else { return "an ALSA plugin, no sound card" }
        return "card \(card), device \(opened.cardDevice ?? 0)" + (opened.name.map { ": \($0)" } ?? "")
    }

    static func musicLine(_ result: Result<SoundDeviceProbe.Handle, SoundDeviceProbe.Failure>, _ device: String) -> DoctorCheck {
        switch result {
        case .success(let handle):
            return .ok("music", "\(device) opens for 16-bit stereo at 48 kHz (\(describe(handle.opened)))")
        case .failure(let failure):
            return soundFailure("music", failure, key: "audio.device")
        }
    }

    static func chimeLine(_ result: Result<SoundDeviceProbe.Handle, SoundDeviceProbe.Failure>, _ device: String,
                          music: Result<SoundDeviceProbe.Handle, SoundDeviceProbe.Failure>) -> DoctorCheck {
        let same = "the chime would cut into the patient's music, and alarms would sound in the headphones: give audio.chime_device a sound device of its own (`aplay -l` lists them)"
        switch (result, music) {
        case (.failure(let failure), .success(let musicHandle)) where failure.kind == .busy:
            return .failed("chime", "\(device) is busy while the music's \(musicHandle.opened.device) is open: they are one sound device", advice: same)
        case (.failure(let failure), _):
            return soundFailure("chime", failure, key: "audio.chime_device")
        case (.success(let chime), .success(let musicHandle)):
            if let card = chime.opened.card, card == musicHandle.opened.card, chime.opened.cardDevice == musicHandle.opened.cardDevice {
                return .failed("chime", "\(device) is \(describe(chime.opened)), the same as the music's \(musicHandle.opened.device)", advice: same)
            }
            return .ok("chime", "\(device) opens (\(describe(chime.opened))), not the music's device")
        case (.success(let chime), .failure):
            return .ok("chime", "\(device) opens (\(describe(chime.opened)))")
        }
    }

    static func soundFailure(_ subject: String, _ failure: SoundDeviceProbe.Failure, key: String) -> DoctorCheck {
        switch failure.kind {
        case .absent:
            return .failed(subject, "\(failure.device) does not exist (\(failure.reason))",
                           advice: "is the sound card or USB headphone amplifier plugged in? `aplay -l` lists the cards; name one in \(key) (plughw:CARD,0)")
        case .busy:
            return .warning(subject, "\(failure.device) is in use by another program",
                            advice: "fine if that is the running agent playing on it; otherwise `fuser -v /dev/snd/*` shows who holds it")
        case .unsupported:
            return .failed(subject, "\(failure.device) \(failure.reason)",
                           advice: "name it plughw:… rather than hw:… in \(key), so ALSA converts the format")
        case .other:
            return .failed(subject, "\(failure.device) will not open (\(failure.reason))",
                           advice: "is this user in the audio group (sudo usermod -aG audio USER)? `aplay -L` lists the device names")
        }
    }
}
