package dev.vitrine.rendering;

/** Paper for PDFs, in inches as the DevTools protocol wants them. */
public enum PaperSize {

	A4(8.27, 11.69), LETTER(8.5, 11);

	private final double width;

	private final double height;

	PaperSize(double width, double height) {
		this.width = width;
		this.height = height;
	}

	double width() {
		return this.width;
	}

	double height() {
		return this.height;
	}

}
