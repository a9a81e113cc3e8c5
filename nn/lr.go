package nn

// SetLR sets the learning rate of the next steps; the trainer's
// learning-rate schedule calls it before every step.
func (o *Adam) SetLR(lr float64) { o.cfg.LR = lr }

// SetLR sets the learning rate of the next steps.
func (o *SGD) SetLR(lr float64) { o.cfg.LR = lr }
