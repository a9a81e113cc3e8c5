package synth

import "math"

// Bearing is the geometry of a rolling-element bearing, in inches and
// radians. It fixes the kinematic fault frequencies (see Frequencies).
type Bearing struct {
	// Balls is the number of rolling elements.
	Balls int
	// BallDiameter is the rolling-element diameter d.
	BallDiameter float64
	// PitchDiameter is the pitch (cage) diameter D.
	PitchDiameter float64
	// ContactAngle is the contact angle φ in radians.
	ContactAngle float64
}

// DriveEnd6205 returns the geometry of the CWRU test rig's drive-end bearing,
// a 6205-2RS JEM SKF deep-groove ball bearing: 9 balls of 0.3126 in on a
// 1.537 in pitch diameter, contact angle 0 (values from the CWRU Bearing Data
// Center's bearing-information page).
func DriveEnd6205() Bearing {
	return Bearing{Balls: 9, BallDiameter: 0.3126, PitchDiameter: 1.537, ContactAngle: 0}
}

// Frequencies are the kinematic fault frequencies of a bearing at one shaft
// speed, in Hz, assuming rolling without slip and a stationary outer race.
type Frequencies struct {
	// Shaft is the shaft (inner-race) rotation frequency fr.
	Shaft float64
	// FTF is the fundamental train (cage) frequency.
	FTF float64
	// BPFO is the ball-pass frequency of the outer race.
	BPFO float64
	// BPFI is the ball-pass frequency of the inner race.
	BPFI float64
	// BSF is the ball spin frequency; a ball defect strikes the races at 2×BSF.
	BSF float64
}

// Frequencies returns the fault frequencies at shaft frequency shaftHz:
//
//	FTF  = fr/2 · (1 − d/D·cos φ)
//	BPFO = n·fr/2 · (1 − d/D·cos φ)
//	BPFI = n·fr/2 · (1 + d/D·cos φ)
//	BSF  = D/(2d)·fr · (1 − (d/D·cos φ)²)
//
// For DriveEnd6205 at 1750 rpm (29.17 Hz) these are FTF 11.62 Hz,
// BPFO 104.56 Hz, BPFI 157.94 Hz and BSF 68.74 Hz.
func (b Bearing) Frequencies(shaftHz float64) Frequencies {
	r := b.BallDiameter / b.PitchDiameter * math.Cos(b.ContactAngle)
	n := float64(b.Balls)
	return Frequencies{
		Shaft: shaftHz,
		FTF:   shaftHz / 2 * (1 - r),
		BPFO:  n * shaftHz / 2 * (1 - r),
		BPFI:  n * shaftHz / 2 * (1 + r),
		BSF:   b.PitchDiameter / (2 * b.BallDiameter) * shaftHz * (1 - r*r),
	}
}

// surfaceSpeed returns the speed in inches per second at which a race
// surface slides past a ball contact (equivalently a ball's surface past a
// race): π·d·BSF. It is the same for the outer race, the inner race and the
// ball when the bearing rolls without slip.
func (b Bearing) surfaceSpeed(shaftHz float64) float64 {
	return math.Pi * b.BallDiameter * b.Frequencies(shaftHz).BSF
}
