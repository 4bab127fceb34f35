/// The demo session `vigil demo` plays: about two hours that show the interesting parts — a
/// brief desaturation in the peak, a high BP at the +40 min check that the automatic repeat
/// confirms, a probe-off spell in recovery, and an uneventful discharge.
///
/// Oximeter lines are what the simulated CMS50 shows from then on; BP lines are the simulated
/// patient's pressure from then on, which the agent reads whenever its schedule measures; the
/// session lines are played by a simulated doula and nurse.
public enum DemoSession {
    /// Seconds of session time the room stays idle between two sessions of `vigil demo --sessions N`.
    public static let gap: Double = 60

    public static let scenario = """
    # Baseline: the agent measures a BP at once.
    0,session.start,doula
    0,spo2,98
    0,pulse_rate,74
    0,systolic,128
    0,diastolic,82
    300,dose,doula
    # Onset: BP every 5 minutes, rising.
    600,systolic,134
    600,diastolic,85
    900,systolic,139
    900,diastolic,88
    1000,pulse_rate,82
    # Peak: BP every 10 minutes and at +40 min; a brief desaturation.
    1500,systolic,151
    1500,diastolic,94
    1800,spo2,88
    1825,spo2,96
    2100,systolic,163
    2100,diastolic,98
    2550,systolic,186
    2550,diastolic,104
    # The repeat the agent takes a minute later confirms it; the nurse acknowledges.
    2920,ack,nurse:systolic_high
    3000,systolic,168
    3000,diastolic,99
    # Recovery: BP every 15 minutes; a finger comes out of the probe for a while.
    3600,pulse_rate,76
    3900,systolic,150
    3900,diastolic,92
    4500,probe_off,oximeter
    4590,probe_on,oximeter
    4800,systolic,141
    4800,diastolic,88
    5700,systolic,136
    5700,diastolic,86
    6600,systolic,133
    6600,diastolic,84
    # Discharge.
    7500,systolic,131
    7500,diastolic,83
    7560,note,ready to leave with companion
    7600,session.end,doula
    """
}
