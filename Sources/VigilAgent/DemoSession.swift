/// The demo session `vigil demo` plays: about two hours that show the interesting parts —
/// a brief desaturation in the peak, a high BP at +40 min that a repeat confirms, a probe-off
/// spell in recovery, and an uneventful discharge.
public enum DemoSession {
    public static let scenario = """
    # Baseline: vitals settle, blood pressure before the dose.
    0,session.start,doula
    0,spo2,98
    0,pulse_rate,74
    60,systolic,128
    60,diastolic,82
    60,mean_arterial,97
    300,dose,doula
    # Onset: BP every 5 minutes.
    600,systolic,134
    600,diastolic,85
    900,systolic,139
    900,diastolic,88
    1000,pulse_rate,82
    1200,systolic,142
    1200,diastolic,90
    # Peak: BP every 10 minutes, one at +40 min.
    1800,systolic,151
    1800,diastolic,94
    1800,spo2,88
    1825,spo2,96
    2220,systolic,163
    2220,diastolic,98
    2700,systolic,186
    2700,diastolic,104
    2820,systolic,188
    2820,diastolic,106
    2880,ack,nurse
    3300,systolic,168
    3300,diastolic,99
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
